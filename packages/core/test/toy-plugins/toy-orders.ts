import { Type } from '@sinclair/typebox';
import { defineEvent, definePlugin, problems } from '@quartermaster/sdk';

/** Used only in webhook tests: events of one aggregate (an order), an unordered one, and a route that can roll back. */
export const OrderPlaced = defineEvent('toy-orders.order.placed', Type.Object({ orderId: Type.String(), step: Type.Integer() }), {
  description: 'An order was placed.',
  aggregate: { field: 'orderId' },
});
export const OrderShipped = defineEvent('toy-orders.order.shipped', Type.Object({ orderId: Type.String(), step: Type.Integer(), carrier: Type.Optional(Type.String()) }), {
  aggregate: { type: 'toy-orders.order', field: 'orderId' },
});
export const ClockTicked = defineEvent('toy-orders.clock.ticked', Type.Object({ n: Type.Integer() }, { description: 'The clock ticked.' }), { aggregate: false });

export const toyOrders = definePlugin({
  id: 'toy-orders',
  version: '1.0.0',
  compatibility: '^0.1.0',
  permissions: [{ id: 'toy-orders.orders.write', description: 'Place and ship orders' }],
  events: { emits: [OrderPlaced, OrderShipped, ClockTicked] },
  async routes(app, ctx) {
    app.post(
      '/orders',
      {
        config: { permission: 'toy-orders.orders.write' },
        schema: {
          body: Type.Object(
            {
              orderId: Type.String(),
              step: Type.Integer(),
              event: Type.Union([Type.Literal('placed'), Type.Literal('shipped'), Type.Literal('ticked')]),
              rollback: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const b = req.body;
        await ctx.transaction(req.actor, async (tx) => {
          if (b.event === 'placed') await tx.emit(OrderPlaced, { orderId: b.orderId, step: b.step });
          if (b.event === 'shipped') await tx.emit(OrderShipped, { orderId: b.orderId, step: b.step });
          if (b.event === 'ticked') await tx.emit(ClockTicked, { n: b.step });
          // Refused after the event was emitted: the whole transaction, event included, rolls back.
          if (b.rollback) throw problems.conflict('toy-orders/refused', 'Refused', 'Rolled back on purpose');
        });
        return reply.code(204).send();
      },
    );
  },
});
