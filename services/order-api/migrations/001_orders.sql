-- Orders. One row per order: its lines are an immutable snapshot of product-api's prices at the
-- time (jsonb), so reading an order never needs product-api. `status` is the customer's view of
-- the order; `stock` tracks its reservation in product-api, which order-api changes only after it
-- has recorded the intent here (compare-and-set updates), so replicas and retries agree.
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  -- The client's Idempotency-Key: a retry finds the order instead of creating another.
  idempotency_key text NOT NULL UNIQUE,
  -- sha256 of the canonical request: the same key with a different body is refused.
  request_hash text NOT NULL,
  customer_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed', 'cancelled')),
  stock text NOT NULL
    CHECK (stock IN ('none', 'reserved', 'committing', 'committed', 'releasing', 'released', 'lost')),
  currency char(3) NOT NULL,
  -- Minor units (cents); bigint because 50 lines of 1,000 units at the highest price exceed integer.
  total_minor bigint NOT NULL CHECK (total_minor >= 0),
  items jsonb NOT NULL,
  contact jsonb,
  shipping_address jsonb,
  -- Why a failed order failed: { reason, status, problem } (replayed to a retry with the same key).
  failure jsonb,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  confirmed_at timestamptz,
  cancelled_at timestamptz
);

-- A customer's orders, newest first (keyset pagination on created_at, id).
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC, id DESC);

-- The reconciler's work: orders whose stock is not settled yet, or still pending.
CREATE INDEX orders_unsettled_idx ON orders (updated_at)
  WHERE status = 'pending' OR stock IN ('reserved', 'committing', 'releasing');
