export default function Greeting({ name }: { name: string }) {
  return <p class="greeting">hello {name}</p>;
}
