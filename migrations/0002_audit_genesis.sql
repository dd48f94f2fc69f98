-- The audit chain starts from one head row: seq 0 and an all-zero hash. Every append locks this row.
INSERT INTO "audit_head" ("id", "last_seq", "last_hash", "note")
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 'genesis')
ON CONFLICT ("id") DO NOTHING;
