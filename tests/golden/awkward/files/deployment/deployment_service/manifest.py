"""What the deployment service is, for its runtime: generated from the ServicePlan; do not edit."""

SERVICE = 'deployment'
SYSTEM = 'my "shop" ${X}'
EVENT_BUS = 'nats'
APP_FACTORY = ''
DISPATCHER = ''
DATABASE_VARIABLES = ['LEGACY_DB']
MOVES = {}
IMPORTS = ['shop.Deployment']
INTERNAL = {'/internal/shop/deployment/services/latest': 'shop.deployment.services:latest'}
CHANNELS = {'crème brûlée!': {'async': ['deployment'], 'handlers': {}, 'subject': 'creme-brulee', 'sync': []}}
CONSUMES = ['crème brûlée!']
CHANGES_OUT = {}
CHANGES_IN = {}
USES_BUS = True
