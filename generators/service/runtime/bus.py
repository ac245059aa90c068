"""One API over the brokers (FastStream): NATS JetStream by default, RabbitMQ, Redis streams, Kafka.

Events go to durable destinations (a JetStream stream, a durable queue per consumer, a Redis
stream with a consumer group, a Kafka topic with a group), so that an event published while a
consumer is down waits for it. Acknowledgements of consumption go back to the publishing service
on a non-durable destination (they only serve read-your-writes).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from faststream import AckPolicy

from .context import bus_token

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class Bus:
    def __init__(self, kind: str, url: str, namespace: str, service: str) -> None:
        self.kind, self.namespace, self.service = kind, bus_token(namespace), bus_token(service)
        if kind == "nats":
            from faststream.nats import JStream, NatsBroker

            self.broker: Any = NatsBroker(url, max_reconnect_attempts=-1, reconnect_time_wait=0.5)
            self.stream = JStream(name=f"{self.namespace}-events", subjects=[f"{self.namespace}.events.>"])
        elif kind == "rabbit":
            from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange

            self.broker = RabbitBroker(url)
            self.exchange = RabbitExchange(f"{self.namespace}.events", type=ExchangeType.TOPIC, durable=True)
            self.acks_exchange = RabbitExchange(f"{self.namespace}.acks", type=ExchangeType.DIRECT)
        elif kind == "redis":
            from faststream.redis import RedisBroker

            self.broker = RedisBroker(url)
        elif kind == "kafka":
            from faststream.kafka import KafkaBroker

            self.broker = KafkaBroker(url)
        else:
            raise ValueError(f"unknown event bus {kind!r}")

    def destination(self, subject: str) -> str:
        return f"{self.namespace}.events.{bus_token(subject)}"

    def consume(self, subject: str, handler: Handler) -> None:
        """Deliver every event on ``subject`` to ``handler``, once per service (durable)."""
        name = self.destination(subject)
        group = f"{self.namespace}-{self.service}-{bus_token(subject)}"
        if self.kind == "nats":
            self.broker.subscriber(name, stream=self.stream, durable=group, ack_policy=AckPolicy.NACK_ON_ERROR)(handler)
        elif self.kind == "rabbit":
            from faststream.rabbit import RabbitQueue

            queue = RabbitQueue(f"{self.namespace}.{self.service}.{bus_token(subject)}", durable=True, routing_key=name)
            self.broker.subscriber(queue, self.exchange, ack_policy=AckPolicy.NACK_ON_ERROR)(handler)
        elif self.kind == "redis":
            from faststream.redis import StreamSub

            self.broker.subscriber(stream=StreamSub(name, group=group, consumer=self.service), ack_policy=AckPolicy.NACK_ON_ERROR)(handler)
        else:
            self.broker.subscriber(name, group_id=group, auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR)(handler)

    def on_acks(self, handler: Handler) -> None:
        """Receive the acknowledgements sent back to this service."""
        name = f"{self.namespace}.acks.{self.service}"
        if self.kind == "rabbit":
            from faststream.rabbit import RabbitQueue

            self.broker.subscriber(RabbitQueue(name, auto_delete=True, routing_key=name), self.acks_exchange)(handler)
        elif self.kind == "redis":
            self.broker.subscriber(channel=name)(handler)
        else:
            self.broker.subscriber(name)(handler)

    async def publish(self, subject: str, envelope: dict[str, Any]) -> None:
        name = self.destination(subject)
        message_id = envelope["message_id"]
        if self.kind == "nats":
            await self.broker.publish(envelope, name, stream=self.stream.name, headers={"Nats-Msg-Id": message_id}, timeout=5)
        elif self.kind == "rabbit":
            await self.broker.publish(envelope, routing_key=name, exchange=self.exchange, message_id=message_id, persist=True)
        elif self.kind == "redis":
            await self.broker.publish(envelope, stream=name)
        else:
            await self.broker.publish(envelope, name, key=message_id.encode())

    async def ack(self, origin: str, message: dict[str, Any]) -> None:
        name = f"{self.namespace}.acks.{bus_token(origin)}"
        if self.kind == "rabbit":
            await self.broker.publish(message, routing_key=name, exchange=self.acks_exchange)
        elif self.kind == "redis":
            await self.broker.publish(message, channel=name)
        else:
            await self.broker.publish(message, name)

    async def start(self) -> None:
        if self.kind == "nats":
            await self.broker.connect()
            # one stream per namespace holds every event; created (or updated) before consumers bind
            try:
                await self.broker.connection.jetstream().add_stream(name=self.stream.name, subjects=self.stream.subjects)
            except Exception:  # noqa: BLE001 - it exists already (with the same subjects)
                pass
        await self.broker.start()

    async def stop(self) -> None:
        await self.broker.stop()

    async def ping(self) -> bool:
        try:
            return bool(await self.broker.ping(timeout=2))
        except Exception:  # noqa: BLE001 - any failure means not ready
            return False
