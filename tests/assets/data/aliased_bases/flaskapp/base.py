from .db import Model

BaseModel = Model  # an alias of an alias, in another module
