-- The order-end notification trigger ran its PL/pgSQL function for every order written, only to
-- return at once for an order that is not at an end (every new order, every partial fill). A
-- WHEN condition skips the call itself; the function keeps its own checks. An INSERT trigger's
-- condition cannot see OLD, hence two triggers.
drop trigger orders_notify_end on orders;
create trigger orders_notify_end_insert after insert on orders
  for each row when (new.status in ('filled', 'canceled', 'expired', 'rejected'))
  execute function notify_order_end();
create trigger orders_notify_end_update after update of status on orders
  for each row when (new.status in ('filled', 'canceled', 'expired', 'rejected')
                     and old.status is distinct from new.status)
  execute function notify_order_end();
