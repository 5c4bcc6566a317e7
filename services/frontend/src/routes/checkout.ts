// Checkout, confirmation and order lookup. The hidden idempotency key is made when the form is
// drawn, so a double click or a resubmitted form places one order, not two.
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { OrderRejected } from '../api/orders';
import { readCheckoutForm, validateCheckout } from '../checkout';
import { subtotalOf, type CartView } from '../views/cart';
import { checkoutPage, lookupPage, orderPage, type CheckoutValues } from '../views/checkout';
import { notFoundPage } from '../views/errors';
import { callContext, readCart, saveCart, sendPage, type WebDeps } from '../web/context';
import { pricedCart } from './cart';
import { labelled } from './label';

const EMPTY: CheckoutValues = { name: '', email: '', line1: '', postalCode: '', city: '', country: '' };
const KEY = /^[A-Za-z0-9-]{16,64}$/;
const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function checkoutRoutes(router: Router, deps: WebDeps): void {
  router.get(
    '/checkout',
    labelled('/checkout', async (req, res) => {
      const ctx = callContext(req);
      const priced = await pricedCart(deps, ctx, readCart(deps, req, res));
      if (priced.lines.length === 0) return void res.redirect(303, '/cart');
      const cart: CartView = {
        lines: priced.lines,
        subtotal: subtotalOf(priced.lines),
        maxQuantity: deps.settings.maxQuantity,
        messages: [],
      };
      const body = checkoutPage({ cart, values: EMPTY, errors: {}, idempotencyKey: randomUUID() });
      sendPage(deps, res, body, { title: 'Checkout', cart: priced.cart });
    }),
  );

  router.post(
    '/checkout',
    labelled('/checkout', async (req, res) => {
      const ctx = callContext(req);
      const priced = await pricedCart(deps, ctx, readCart(deps, req, res));
      if (priced.lines.length === 0) return void res.redirect(303, '/cart');
      const values = readCheckoutForm(req.body);
      const errors = validateCheckout(values);
      const given = (req.body as Record<string, unknown> | undefined)?.idempotencyKey;
      const idempotencyKey = typeof given === 'string' && KEY.test(given) ? given : randomUUID();
      const cart: CartView = {
        lines: priced.lines,
        subtotal: subtotalOf(priced.lines),
        maxQuantity: deps.settings.maxQuantity,
        messages: [],
      };
      const again = (status: number, problem?: string) =>
        sendPage(deps, res, checkoutPage({ cart, values, errors, idempotencyKey, problem }), {
          title: 'Checkout',
          cart: priced.cart,
          status,
        });
      if (Object.keys(errors).length) return again(422);
      try {
        const order = await deps.orders.create(
          ctx,
          {
            customerId: values.email.toLowerCase(),
            contact: { name: values.name, email: values.email },
            shippingAddress: {
              line1: values.line1,
              postalCode: values.postalCode,
              city: values.city,
              country: values.country,
            },
            items: priced.cart.items,
          },
          idempotencyKey,
        );
        // The order is placed: the cart is done with.
        saveCart(deps, res, priced.cart.cleared());
        res.redirect(303, `/orders/${encodeURIComponent(order.id)}?placed=1`);
      } catch (err) {
        if (err instanceof OrderRejected) return again(err.status, err.message);
        throw err;
      }
    }),
  );

  router.get(
    '/orders',
    labelled('/orders', (req, res) => {
      const cart = readCart(deps, req, res);
      const id = typeof req.query.id === 'string' ? req.query.id.trim() : undefined;
      if (id === undefined) return sendPage(deps, res, lookupPage(''), { title: 'Find an order', cart });
      if (!ORDER_ID.test(id))
        return sendPage(deps, res, lookupPage(id, 'Enter the order number from your confirmation'), {
          title: 'Find an order',
          cart,
          status: 422,
        });
      res.redirect(303, `/orders/${encodeURIComponent(id)}`);
    }),
  );

  router.get(
    '/orders/:id',
    labelled('/orders/:id', async (req, res) => {
      const cart = readCart(deps, req, res);
      const id = String(req.params.id);
      const order = ORDER_ID.test(id) ? await deps.orders.get(callContext(req), id) : undefined;
      if (!order) {
        sendPage(deps, res, notFoundPage('There is no order with that number.'), {
          title: 'Order not found',
          cart,
          status: 404,
        });
        return;
      }
      sendPage(deps, res, orderPage(order, req.query.placed === '1'), { title: `Order ${order.id}`, cart });
    }),
  );
}
