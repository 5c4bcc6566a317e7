// The contract test's own rules (scripts/src/testing/contract.ts): which answers count as business
// errors for a request the document allows, and how a run's seed and size are chosen.
import { businessStatuses, contractExamples, contractSeed, DEFAULT_SEED } from '../../src/testing/contract';
import { buildOpenApi as orderApiDocument } from '../../../services/order-api/src/openapi';
import { completeOpenApi } from '../../../services/runtime/src';

describe('contract test rules', () => {
  test('business errors are the documented statuses about meaning, never shape (400, 413, 415) or credentials (401)', () => {
    const statuses = businessStatuses(completeOpenApi(orderApiDocument()));
    expect(statuses.get('placeOrder')).toEqual(['200', '201', '409', '422', '503']);
    expect(statuses.get('listOrders')).toEqual(['200', '503']);
    expect(statuses.get('cancelOrder')).toEqual(['200', '404', '409', '503']);
  });

  test('the seed is fixed unless CONTRACT_SEED names one or asks for a random one', () => {
    expect(contractSeed({})).toBe(DEFAULT_SEED);
    expect(contractSeed({ CONTRACT_SEED: '4242' })).toBe(4242);
    expect(Number.isSafeInteger(contractSeed({ CONTRACT_SEED: 'random' }))).toBe(true);
    expect(() => contractSeed({ CONTRACT_SEED: 'x' })).toThrow(/CONTRACT_SEED/);
  });

  test('the run is bounded unless CONTRACT_MAX_EXAMPLES asks for more', () => {
    expect(contractExamples(25, {})).toBe(25);
    expect(contractExamples(25, { CONTRACT_MAX_EXAMPLES: '200' })).toBe(200);
    expect(() => contractExamples(25, { CONTRACT_MAX_EXAMPLES: '0' })).toThrow(/CONTRACT_MAX_EXAMPLES/);
  });
});
