-- The catalog. Prices are integers in minor units (cents) with an ISO 4217 currency code, so no
-- rounding ever happens in storage. The stock CHECK is the last line of defence against overselling.
CREATE TABLE products (
  id uuid PRIMARY KEY,
  sku text NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  category text NOT NULL,
  price_minor integer NOT NULL CHECK (price_minor >= 0),
  currency char(3) NOT NULL,
  stock integer NOT NULL CHECK (stock >= 0),
  -- Millisecond precision: keyset cursors carry the value through JavaScript, which has no finer.
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);

-- One index per sort order (keyset pagination orders by the column, then id).
CREATE INDEX products_name_idx ON products (name, id);
CREATE INDEX products_price_idx ON products (price_minor, id);
CREATE INDEX products_created_idx ON products (created_at, id);
CREATE INDEX products_category_idx ON products (category, name, id);
