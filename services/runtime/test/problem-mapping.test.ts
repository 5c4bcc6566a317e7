// withProblemMapping: what a handler throws goes through the service's own mapping.
import { HttpError, withProblemMapping, type RequestContext } from '@techcommerce/runtime';

class Missing extends Error {}
const toHttpError = (err: unknown) => (err instanceof Missing ? new HttpError(404, err.message) : err);
const ctx = {} as RequestContext;

test('a mapped domain error becomes its HttpError; anything else passes unchanged; answers pass through', async () => {
  const answering = withProblemMapping(toHttpError);
  await expect(answering(() => Promise.reject(new Missing('order 7 not found')))(ctx)).rejects.toMatchObject({
    status: 404,
    problem: { status: 404, detail: 'order 7 not found' },
  });
  const other = new TypeError('bug');
  await expect(
    answering(() => {
      throw other;
    })(ctx),
  ).rejects.toBe(other);
  await expect(answering(() => ({ status: 201, body: { ok: true } }))(ctx)).resolves.toEqual({
    status: 201,
    body: { ok: true },
  });
});
