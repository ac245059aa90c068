"""What the cart-v2 service is, for its runtime: generated from the ServicePlan; do not edit."""

SERVICE = 'cart-v2'
SYSTEM = 'my "shop" ${X} \\ """'
EVENT_BUS = 'nats'
BUS_URLS = {'kafka': '127.0.0.1:9092',
 'nats': 'nats://127.0.0.1:4222',
 'rabbit': 'amqp://guest:guest@127.0.0.1:5672/',
 'redis': 'redis://127.0.0.1:6379'}
APP_FACTORY = ''
DISPATCHER = ''
DATABASE_VARIABLES = ['LEGACY_DB']
MOVES = {}
IMPORTS = ['shop.cart.v2']
INTERNAL = {'/internal/shop/cart/services/get_cart': 'shop.cart.services:get_cart'}
CHANNELS = {'- a: *b': {'async': ['a'], 'handlers': {}, 'subject': 'a-b', 'sync': []},
 'crème brûlée!': {'async': ['deployment'], 'handlers': {}, 'subject': 'creme-brulee', 'sync': []},
 'no': {'async': ['null'], 'handlers': {}, 'subject': 'no', 'sync': []}}
CONSUMES = []
CHANGES_OUT = {}
CHANGES_IN = {}
USES_BUS = True
