import { DeciderSpecification } from '@reflux/decider';
import { orderDecider } from './order.decider';
import { SupplyChainErrorCode } from './supply-chain.errors';

const order = { id: 'ERP-1', customer: 'C', product: 'P', quantityT: 10, duePeriod: 2, priority: 1, latenessPenaltyPerTPerPeriod: 5, shortfallPenaltyPerT: 50 };
const at = '2026-12-05T10:00:00Z';
const spec = DeciderSpecification.for(orderDecider);

describe('order decider', () => {
  it('receives a new order', () => spec.given([]).when({ type: 'SubmitOrder', data: { order, at } }).then([{ type: 'OrderReceived', data: { order, at } }]));
  it('changes nothing when the same order is sent again', () =>
    spec.given([{ type: 'OrderReceived', data: { order, at } }]).when({ type: 'SubmitOrder', data: { order, at: '2026-12-05T11:00:00Z' } }).then([]));
  it('refuses a resend with other values under the same ERP id', () => {
    spec.given([{ type: 'OrderReceived', data: { order, at } }]).when({ type: 'SubmitOrder', data: { order: { ...order, quantityT: 11 }, at } }).thenThrows(SupplyChainErrorCode.orderConflict);
  });
  it('records a change only when a value differs', () => {
    spec.given([{ type: 'OrderReceived', data: { order, at } }]).when({ type: 'ChangeOrder', data: { order, at } }).then([]);
    spec.given([{ type: 'OrderReceived', data: { order, at } }]).when({ type: 'ChangeOrder', data: { order: { ...order, duePeriod: 3 }, at } }).then([{ type: 'OrderChanged', data: { order: { ...order, duePeriod: 3 }, at } }]);
  });
  it('cancels once and refuses to change a cancelled order', () => {
    const cancelled = { type: 'OrderCancelled' as const, data: { orderId: 'ERP-1', reason: 'customer', at } };
    spec.given([{ type: 'OrderReceived', data: { order, at } }, cancelled]).when({ type: 'CancelOrder', data: { orderId: 'ERP-1', reason: 'again', at } }).then([]);
    spec.given([{ type: 'OrderReceived', data: { order, at } }, cancelled]).when({ type: 'ChangeOrder', data: { order: { ...order, quantityT: 3 }, at } }).thenThrows(SupplyChainErrorCode.orderConflict);
  });
});
