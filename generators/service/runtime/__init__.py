"""The runtime every generated service carries (copied verbatim into ``<package>/runtime``).

It wraps the monolith's own application, restricted to what the service owns, with the parts a
service needs: internal endpoints for the functions other services call, typed clients for the
calls it makes, events through a transactional outbox, health checks and Prometheus metrics.
Configuration comes from environment variables only (see ``settings``).
"""
