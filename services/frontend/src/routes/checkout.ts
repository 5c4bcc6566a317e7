// Checkout, confirmation and order lookup.
//
// One checkout is one order whatever the shopper does: the idempotency key is made once per cart
// (kept in the signed cart cookie, see cart/cart.ts) and sent with every attempt: a double click,
// a resubmitted form, the retry from the "not confirmed yet" page after a timeout or a 503, a new
// visit to /checkout. order-api answers a repeated key with the order it already made.
//
// An order page needs proof that the visitor may see it: the confirmation grants it to the browser
// that placed the order; anyone else types the order's email address (web/order-access.ts).
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { isUpstreamOutage } from '@techcommerce/runtime';
import { CheckoutKeyUsed, OrderInvalid, OrderRejected } from '../api/orders';
import { CHECKOUT_KEY, type Cart } from '../cart/cart';
import { formErrors, orderFromForm, readCheckoutForm, validateCheckout } from '../checkout';
import { subtotalOf, type CartView } from '../views/cart';
import { checkoutPage, lookupPage, orderPage, type CheckoutValues } from '../views/checkout';
import { callContext, readCart, saveCart, sendPage, type WebDeps } from '../web/context';
import { pricedCart } from './cart';
import { labelled } from './label';

const EMPTY: CheckoutValues = { name: '', email: '', line1: '', postalCode: '', city: '', country: '' };
const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const NOT_CONFIRMED_YET =
  'We could not confirm your order yet: our order system is slow or unreachable. Nothing is lost. ' +
  'Press "Place order" again in a moment: it completes this same order, it never places a second one.';

/** The cart bound to its checkout key: the cart's own, else the form's (drawn by this shop), else new. */
function withKey(cart: Cart, fromForm: unknown): Cart {
  if (cart.checkoutKey) return cart;
  const key = typeof fromForm === 'string' && CHECKOUT_KEY.test(fromForm) ? fromForm : randomUUID();
  return cart.withCheckoutKey(key);
}

function grantAndShow(deps: WebDeps, req: Request, res: Response, orderId: string, placed: boolean): void {
  res.append('set-cookie', deps.orderAccess.grant(req.headers.cookie, orderId));
  res.redirect(303, `/orders/${encodeURIComponent(orderId)}${placed ? '?placed=1' : ''}`);
}

export function checkoutRoutes(router: Router, deps: WebDeps): void {
  router.get(
    '/checkout',
    labelled(async (req, res) => {
      const ctx = callContext(req);
      const stored = readCart(deps, req, res);
      const priced = await pricedCart(deps, ctx, stored);
      if (priced.lines.length === 0) return void res.redirect(303, '/cart');
      const cart = withKey(priced.cart, undefined);
      if (cart.checkoutKey !== stored.checkoutKey) saveCart(deps, res, cart);
      const view: CartView = {
        lines: priced.lines,
        subtotal: subtotalOf(priced.lines),
        maxQuantity: deps.settings.maxQuantity,
        messages: [],
      };
      const body = checkoutPage({ cart: view, values: EMPTY, errors: {}, idempotencyKey: cart.checkoutKey! });
      sendPage(deps, res, body, { title: 'Checkout', cart });
    }),
  );

  router.post(
    '/checkout',
    labelled(async (req, res) => {
      const ctx = callContext(req);
      const stored = readCart(deps, req, res);
      const priced = await pricedCart(deps, ctx, stored);
      if (priced.lines.length === 0) return void res.redirect(303, '/cart');
      const values = readCheckoutForm(req.body);
      let errors = validateCheckout(values);
      let cart = withKey(priced.cart, (req.body as Record<string, unknown> | undefined)?.idempotencyKey);
      const view: CartView = {
        lines: priced.lines,
        subtotal: subtotalOf(priced.lines),
        maxQuantity: deps.settings.maxQuantity,
        messages: [],
      };
      // The key outlives this response, whatever it is: the next attempt sends it again.
      const again = (status: number, problem?: string) => {
        saveCart(deps, res, cart);
        sendPage(
          deps,
          res,
          checkoutPage({ cart: view, values, errors, idempotencyKey: cart.checkoutKey ?? '', problem }),
          { title: 'Checkout', cart, status },
        );
      };
      if (Object.keys(errors).length) return again(422);
      try {
        const order = await deps.orders.create(ctx, orderFromForm(values, cart.items), cart.checkoutKey!);
        // The order is placed: the cart is done with.
        saveCart(deps, res, cart.cleared());
        grantAndShow(deps, req, res, order.id, true);
      } catch (err) {
        if (isUpstreamOutage(err)) {
          res.setHeader('retry-after', '5');
          return again(503, NOT_CONFIRMED_YET);
        }
        if (err instanceof OrderInvalid) {
          errors = formErrors(err.errors, values);
          return again(
            422,
            Object.keys(errors).length ? undefined : 'The order could not be placed as entered.',
          );
        }
        if (err instanceof OrderRejected) {
          // That order failed and holds nothing: a new attempt (after changing the cart) is a new order.
          cart = cart.withoutCheckoutKey();
          return again(err.status, err.message);
        }
        if (err instanceof CheckoutKeyUsed) {
          // An earlier attempt of this checkout placed the order (the details were edited since).
          saveCart(deps, res, cart.cleared());
          return grantAndShow(deps, req, res, err.orderId, true);
        }
        throw err;
      }
    }),
  );

  router.get(
    '/orders',
    labelled(async (req, res) => {
      const cart = readCart(deps, req, res);
      const id = typeof req.query.id === 'string' ? req.query.id.trim() : undefined;
      const email = typeof req.query.email === 'string' ? req.query.email.trim() : '';
      if (id === undefined) return sendPage(deps, res, lookupPage('', ''), { title: 'Find an order', cart });
      const refuse = (status: number, error: string) =>
        sendPage(deps, res, lookupPage(id, email, error), { title: 'Find an order', cart, status });
      if (!ORDER_ID.test(id)) return refuse(422, 'Enter the order number from your confirmation');
      if (!email) return refuse(422, 'Enter the email address you placed the order with');
      const order = await deps.orders.get(callContext(req), id);
      const owner = order?.contact?.email ?? order?.customerId;
      // One answer for "no such order" and "wrong email": the form tells nothing about other orders.
      if (!order || owner?.toLowerCase() !== email.toLowerCase())
        return refuse(404, 'We found no order with that number and email address');
      grantAndShow(deps, req, res, order.id, false);
    }),
  );

  router.get(
    '/orders/:id',
    labelled(async (req, res) => {
      const cart = readCart(deps, req, res);
      const id = String(req.params.id);
      if (!ORDER_ID.test(id) || !deps.orderAccess.mayView(req.headers.cookie, id)) {
        const hint = 'Enter the email address you placed the order with to see it';
        sendPage(deps, res, lookupPage(ORDER_ID.test(id) ? id : '', '', hint), {
          title: 'Find an order',
          cart,
          status: 403,
        });
        return;
      }
      const order = await deps.orders.get(callContext(req), id);
      if (!order) {
        sendPage(deps, res, lookupPage(id, '', 'We found no order with that number'), {
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
