-- Stock reservations: a client-chosen id (e.g. the order id) makes a retried request idempotent;
-- request_hash tells a retry (same items) from a different request reusing the id.
CREATE TABLE reservations (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('reserved', 'committed', 'released')),
  request_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);

-- No foreign key to products: a product may be deleted while old reservations still name it.
CREATE TABLE reservation_items (
  reservation_id text NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
  product_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, product_id)
);
