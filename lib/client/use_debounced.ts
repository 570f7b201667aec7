import { useEffect, useState } from "preact/hooks";

/** `value` once it has stayed the same (compared as JSON) for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const json = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [json]);
  return settled;
}
