"""What the monolith service is, for its runtime: generated from the ServicePlan; do not edit."""

SERVICE = 'monolith'
SYSTEM = 'sample_monolith'
EVENT_BUS = 'nats'
BUS_URLS = {'kafka': '127.0.0.1:9092',
 'nats': 'nats://127.0.0.1:4222',
 'rabbit': 'amqp://guest:guest@127.0.0.1:5672/',
 'redis': 'redis://127.0.0.1:6379'}
APP_FACTORY = 'sample_monolith.app:create_app'
DISPATCHER = 'sample_monolith_shared.common.events'
DATABASE_VARIABLES = ['SHOP_DATABASE_URL']
MOVES = {'sample_monolith.accounts.schemas': 'sample_monolith_shared.accounts.schemas',
 'sample_monolith.catalog.schemas': 'sample_monolith_shared.catalog.schemas',
 'sample_monolith.common.auth': 'sample_monolith_shared.common.auth',
 'sample_monolith.common.errors': 'sample_monolith_shared.common.errors',
 'sample_monolith.common.events': 'sample_monolith_shared.common.events',
 'sample_monolith.common.money': 'sample_monolith_shared.common.money',
 'sample_monolith.common.pagination': 'sample_monolith_shared.common.pagination',
 'sample_monolith.utils': 'sample_monolith_shared.utils'}
IMPORTS = ['sample_monolith',
 'sample_monolith.admin',
 'sample_monolith.app',
 'sample_monolith.config',
 'sample_monolith.db',
 'sample_monolith.scheduler',
 'sample_monolith.seed']
INTERNAL = {}
CHANNELS = {'customer.registered': {'async': [],
                         'handlers': {'notifications': ['sample_monolith.notifications.handlers.on_customer_registered']},
                         'subject': 'customer.registered',
                         'sync': ['notifications']},
 'order.cancelled': {'async': ['inventory'],
                     'handlers': {'inventory': ['sample_monolith.inventory.handlers.on_order_cancelled']},
                     'subject': 'order.cancelled',
                     'sync': []},
 'order.placed': {'async': ['reporting'],
                  'handlers': {'inventory': ['sample_monolith.inventory.handlers.on_order_placed'],
                               'notifications': ['sample_monolith.notifications.handlers.on_order_placed'],
                               'reporting': ['sample_monolith.reporting.handlers.on_order_placed']},
                  'subject': 'order.placed',
                  'sync': ['inventory', 'notifications']},
 'payment.captured': {'async': ['inventory', 'reporting'],
                      'handlers': {'inventory': ['sample_monolith.inventory.handlers.on_payment_captured'],
                                   'notifications': ['sample_monolith.notifications.handlers.on_payment_captured'],
                                   'orders': ['sample_monolith.orders.handlers.on_payment_captured'],
                                   'reporting': ['sample_monolith.reporting.handlers.on_payment_captured']},
                      'subject': 'payment.captured',
                      'sync': ['notifications', 'orders']},
 'payment.refunded': {'async': ['reporting'],
                      'handlers': {'notifications': ['sample_monolith.notifications.handlers.on_payment_refunded'],
                                   'orders': ['sample_monolith.orders.handlers.on_payment_refunded'],
                                   'reporting': ['sample_monolith.reporting.handlers.on_payment_refunded']},
                      'subject': 'payment.refunded',
                      'sync': ['notifications', 'orders']},
 'reservation.expired': {'async': [],
                         'handlers': {'orders': ['sample_monolith.orders.handlers.on_reservation_expired']},
                         'subject': 'reservation.expired',
                         'sync': ['orders']},
 'shipment.delivered': {'async': [],
                        'handlers': {'orders': ['sample_monolith.orders.handlers.on_shipment_delivered']},
                        'subject': 'shipment.delivered',
                        'sync': ['orders']},
 'shipment.dispatched': {'async': [],
                         'handlers': {'notifications': ['sample_monolith.notifications.handlers.on_shipment_dispatched'],
                                      'orders': ['sample_monolith.orders.handlers.on_shipment_dispatched']},
                         'subject': 'shipment.dispatched',
                         'sync': ['notifications', 'orders']}}
CONSUMES = []
CHANGES_OUT = {}
CHANGES_IN = {'accounts': ['customers'], 'catalog': ['categories', 'products']}
OWNERS = {'categories': 'catalog', 'customers': 'accounts', 'products': 'catalog'}
HELD_TABLES = ['categories', 'customers', 'products']
PLANNED_TABLES = ['addresses',
 'cart_items',
 'carts',
 'categories',
 'customers',
 'daily_sales',
 'email_outbox',
 'login_tokens',
 'order_lines',
 'order_status_changes',
 'orders',
 'payments',
 'prices',
 'products',
 'refunds',
 'reviews',
 'shipments',
 'stock_adjustments',
 'stock_levels',
 'stock_reservations',
 'tracking_events']
USES_BUS = True
HOSTING = {'database_components': {},
 'env': {},
 'factory': False,
 'found_in': '',
 'framework': '',
 'import_roots': (),
 'target': ''}
SERVES_EVERYTHING = True
ROUTES = [('^/api/notifications(/|$)', 'notifications', '/api/notifications'),
 ('^/api/inventory(/|$)', 'inventory', '/api/inventory'),
 ('^/api/accounts(/|$)', 'accounts', '/api/accounts'),
 ('^/api/payments(/|$)', 'payments', '/api/payments'),
 ('^/api/shipping(/|$)', 'shipping', '/api/shipping'),
 ('^/api/catalog(/|$)', 'catalog', '/api/catalog'),
 ('^/api/reports(/|$)', 'reporting', '/api/reports'),
 ('^/api/reviews(/|$)', 'reviews', '/api/reviews'),
 ('^/api/orders(/|$)', 'orders', '/api/orders'),
 ('^/api/cart(/|$)', 'cart', '/api/cart')]
CALLS_OTHERS = True
