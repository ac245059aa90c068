"""What the o-reilly-path service is, for its runtime: generated from the ServicePlan; do not edit."""

SERVICE = 'o-reilly-path'
SYSTEM = 'my "shop" ${X}'
EVENT_BUS = 'nats'
APP_FACTORY = ''
DISPATCHER = ''
DATABASE_VARIABLES = ['LEGACY_DB']
MOVES = {}
IMPORTS = ["shop.o'reilly \\ ${PATH}"]
INTERNAL = {}
CHANNELS = {'crème brûlée!': {'async': ['deployment'], 'handlers': {}, 'subject': 'creme-brulee', 'sync': []}}
CONSUMES = []
CHANGES_OUT = {}
CHANGES_IN = {}
USES_BUS = True
