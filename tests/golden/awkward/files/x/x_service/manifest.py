"""What the x service is, for its runtime: generated from the ServicePlan; do not edit."""

SERVICE = 'x'
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
IMPORTS = ['shop.- x']
INTERNAL = {}
CHANNELS = {'- a: *b': {'async': ['a'], 'handlers': {}, 'subject': 'a-b', 'sync': []},
 'crème brûlée!': {'async': ['deployment'], 'handlers': {}, 'subject': 'creme-brulee', 'sync': []},
 'no': {'async': ['null'], 'handlers': {}, 'subject': 'no', 'sync': []}}
CONSUMES = []
CHANGES_OUT = {}
CHANGES_IN = {}
OWNERS = {}
HELD_TABLES = ['- x']
PLANNED_TABLES = ['*a',
 '- x',
 '9lives',
 'Café "Crème" $HOME',
 'Deployment',
 'GATEWAY',
 'My Cart',
 'cart.v2',
 'gateway',
 'monolith',
 'null',
 "o'reilly \\ ${PATH}",
 'yes']
USES_BUS = True
HOSTING = {'database_components': {},
 'env': {},
 'factory': False,
 'found_in': '',
 'framework': '',
 'import_roots': (),
 'target': ''}
SERVES_EVERYTHING = False
ROUTES = [('^/api/cost\\$5\\ "quoted"(/|$)', 'null', '/api/cost$5 "quoted"'),
 ('^/api/say\\-"hi"/\\$HOME(/|$)', 'cafe-creme-home', '/api/say-"hi"/$HOME'),
 ('^/api/café/[^/]+:publish(/|$)', 'cafe-creme-home', '/api/café/{item_id}:publish'),
 ('^/api/deployments(/|$)', 'deployment', '/api/deployments'),
 ('^/api/semi;colon\\{(/|$)', 'yes', '/api/semi;colon{'),
 ('^/api/hash\\#tag(/|$)', 'a', '/api/hash#tag'),
 ("^/api/o'reilly(/|$)", 'o-reilly-path', "/api/o'reilly"),
 ('^/api/GATEWAY(/|$)', 'gateway-d285f4d9', '/api/GATEWAY'),
 ('^/api/cart\\.v2(/|$)', 'cart-v2', '/api/cart.v2'),
 ('^/api/gateway(/|$)', 'gateway-7b9f310f', '/api/gateway'),
 ('^/api/my\\ cart(/|$)', 'my-cart', '/api/my cart'),
 ('^/api/no:\\ yes(/|$)', 'x-9lives', '/api/no: yes'),
 ('^/api/ünïcödé(/|$)', 'x', '/api/ünïcödé'),
 ("^/api/it's(/|$)", 'cafe-creme-home', "/api/it's")]
CALLS_OTHERS = False
