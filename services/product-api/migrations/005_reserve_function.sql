-- Making a reservation in one round trip. As separate statements (BEGIN, lock, take, COMMIT) every
-- order held its products' row locks across four round trips to product-api's event loop, so on a
-- busy service orders for the same products queued behind each other; and each round trip is a
-- socket write on both sides. In one function call the locks are held only while PostgreSQL runs
-- it. store/reservations.ts calls it; replays of an existing id stay in TypeScript.
--
-- Answers one row per item: outcome 'reserved' (with what each item was reserved at), or
-- 'unknown' / 'short' for each item that stops it (nothing was changed), or a single 'exists' row
-- when the id is taken (nothing was changed; the caller replays what exists).
CREATE FUNCTION reserve_stock(
  p_id text,
  p_hash text,
  p_status text,
  p_ttl_seconds integer,
  p_products uuid[],
  p_quantities integer[]
) RETURNS TABLE (
  outcome text,
  product_id uuid,
  quantity integer,
  sku text,
  name text,
  price_minor integer,
  currency text,
  available integer,
  created_at timestamptz,
  updated_at timestamptz,
  expires_at timestamptz
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  made reservations%ROWTYPE;
BEGIN
  IF EXISTS (SELECT 1 FROM reservations r WHERE r.id = p_id) THEN
    RETURN QUERY SELECT 'exists', NULL::uuid, NULL::integer, NULL, NULL, NULL::integer, NULL, NULL::integer,
      NULL::timestamptz, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  -- In id order, so multi-item reservations never deadlock; the checks below see the stock as the
  -- last holder of each lock left it (each statement of a volatile function takes a new snapshot).
  PERFORM 1 FROM products p WHERE p.id = ANY (p_products) ORDER BY p.id FOR UPDATE;
  RETURN QUERY
    SELECT CASE WHEN p.id IS NULL THEN 'unknown' ELSE 'short' END, r.id, r.quantity, p.sku, p.name,
      p.price_minor, p.currency::text, p.stock, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz
    FROM unnest(p_products, p_quantities) AS r(id, quantity) LEFT JOIN products p ON p.id = r.id
    WHERE p.id IS NULL OR p.stock < r.quantity
    ORDER BY r.id;
  IF FOUND THEN
    RETURN;
  END IF;
  INSERT INTO reservations (id, status, request_hash, expires_at)
  VALUES (p_id, p_status, p_hash, date_trunc('milliseconds', now()) + make_interval(secs => p_ttl_seconds))
  ON CONFLICT (id) DO NOTHING
  RETURNING * INTO made;
  IF NOT FOUND THEN
    -- A concurrent request made it after the check above (this insert waited for it to commit).
    RETURN QUERY SELECT 'exists', NULL::uuid, NULL::integer, NULL, NULL, NULL::integer, NULL, NULL::integer,
      NULL::timestamptz, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  UPDATE products p SET stock = p.stock - r.quantity, updated_at = date_trunc('milliseconds', now())
  FROM unnest(p_products, p_quantities) AS r(id, quantity) WHERE p.id = r.id;
  RETURN QUERY
    WITH items AS (
      INSERT INTO reservation_items (reservation_id, product_id, quantity, sku, name, price_minor, currency)
      SELECT p_id, p.id, r.quantity, p.sku, p.name, p.price_minor, p.currency
      FROM unnest(p_products, p_quantities) AS r(id, quantity) JOIN products p ON p.id = r.id
      RETURNING *
    )
    SELECT 'reserved', i.product_id, i.quantity, i.sku, i.name, i.price_minor, i.currency::text, NULL::integer,
      made.created_at, made.updated_at, made.expires_at
    FROM items i ORDER BY i.product_id;
END
$$;
