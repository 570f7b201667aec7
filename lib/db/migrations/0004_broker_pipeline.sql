-- Issue 10: idempotency keys bound to their request, and day-order expiry that survives the
-- replay wrapping back to the start of its history.

-- What the order's key was first used for: a canonical text of the normalised request (an
-- order, a position close or a replace). The same key with another request is refused (409)
-- instead of answering with the first order. Null on rows written before this column.
alter table orders
  add column request_fingerprint text check (length(request_fingerprint) <= 600);

-- Day orders: the market clock's monotonic session number whose close ends the order. The
-- date in `expires_session` is for people; it jumps backwards when the replay wraps, so expiry
-- compares this number. Null for older rows, which expire by date as before.
alter table orders
  add column expires_session_no integer;
