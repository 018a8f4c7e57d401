import type { Decider } from '@reflux/decider';
import type { Order } from './network.schema';
import { SupplyChainError, SupplyChainErrorCode } from './supply-chain.errors';

export type OrderCommand =
  | { readonly type: 'SubmitOrder'; readonly data: { readonly order: Order; readonly at: string } }
  | { readonly type: 'ChangeOrder'; readonly data: { readonly order: Order; readonly at: string } }
  | { readonly type: 'CancelOrder'; readonly data: { readonly orderId: string; readonly reason: string; readonly at: string } };

export type OrderEvent =
  | { readonly type: 'OrderReceived'; readonly data: { readonly order: Order; readonly at: string } }
  | { readonly type: 'OrderChanged'; readonly data: { readonly order: Order; readonly at: string } }
  | { readonly type: 'OrderCancelled'; readonly data: { readonly orderId: string; readonly reason: string; readonly at: string } };

export const ORDER_EVENT_TYPES = ['OrderReceived', 'OrderChanged', 'OrderCancelled'] as const;

export interface OrderState {
  readonly order?: Order;
  readonly cancelled: boolean;
}

/** `supply-order-<ERP order id>`: one stream per order, so the ERP id makes a resent order idempotent. */
export const orderStreamId = (orderId: string): string => `supply-order-${orderId}`;
export const ORDER_STREAM_CATEGORY = 'supply-order-';

function sameOrder(a: Order, b: Order): boolean {
  const keys = Object.keys({ ...a, ...b }) as (keyof Order)[];
  return keys.every((k) => a[k] === b[k]);
}

function exhaustive(x: never): never {
  throw new Error(`unknown ${JSON.stringify(x)}`);
}

/** The life of one ERP order: received once (a resend with the same content changes nothing), changed, cancelled. */
export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: () => ({ cancelled: false }),
  decide(command, state) {
    switch (command.type) {
      case 'SubmitOrder': {
        const { order } = command.data;
        if (!state.order) return [{ type: 'OrderReceived', data: command.data }];
        if (sameOrder(state.order, order)) return [];
        throw new SupplyChainError(SupplyChainErrorCode.orderConflict, `order ${order.id} was received before with other values; use ChangeOrder to change it`, [{ field: 'order.order_id', description: 'already received with other values' }]);
      }
      case 'ChangeOrder': {
        const { order } = command.data;
        if (!state.order) throw new SupplyChainError(SupplyChainErrorCode.orderNotFound, `no order ${order.id}`, [{ field: 'order.order_id', description: 'unknown order' }]);
        if (state.cancelled) throw new SupplyChainError(SupplyChainErrorCode.orderConflict, `order ${order.id} is cancelled`, [{ field: 'order.order_id', description: 'cancelled' }]);
        return sameOrder(state.order, order) ? [] : [{ type: 'OrderChanged', data: command.data }];
      }
      case 'CancelOrder':
        if (!state.order) throw new SupplyChainError(SupplyChainErrorCode.orderNotFound, `no order ${command.data.orderId}`, [{ field: 'order_id', description: 'unknown order' }]);
        return state.cancelled ? [] : [{ type: 'OrderCancelled', data: command.data }];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'OrderReceived':
      case 'OrderChanged':
        return { ...state, order: event.data.order };
      case 'OrderCancelled':
        return { ...state, cancelled: true };
      default:
        return exhaustive(event);
    }
  },
};
