-- A conversation's messages in the order they were stored. They were ordered by created_at and
-- then the uuid id: two messages written within the clock's resolution (PGlite's is a
-- millisecond; a question and its stored answer can be) tied on created_at and came back in
-- random order. seq is the order of insertion. Existing rows get theirs in the table's order.
alter table ai_messages add column seq bigint generated always as identity;
drop index ai_messages_conversation_idx;
create index ai_messages_conversation_seq_idx on ai_messages (conversation_id, seq);
