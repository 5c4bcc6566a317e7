-- Reservations that are neither committed nor released (the caller crashed, a network split)
-- must not hold stock for ever: each gets an expiry, and a sweeper releases the expired ones.
ALTER TABLE reservations ADD COLUMN expires_at timestamptz;
UPDATE reservations SET expires_at = created_at + interval '15 minutes';
ALTER TABLE reservations ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'reserved';
