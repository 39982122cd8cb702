"""Shipping the kiosk's lookup log to the province's collector in the background (when ``collector_url`` is set).

The app calls :func:`start_log_shipping` when it starts; the returned :class:`~kiosk.central.shipper.Shipper` runs in
its own thread (backing off while the collector is down) until ``stop()``; its ``last_backlog`` is what the staff view
shows. Recording never waits on it: the pipeline writes the local log, the shipper reads it.
"""

from __future__ import annotations

import logging

from kiosk.central.shipper import Shipper
from kiosk.config import KioskConfig
from kiosk.signing.keys import SigningKeyError, load_private_key, load_public_key

log = logging.getLogger(__name__)


class ShippingSetupError(Exception):
    """Shipping is asked for (collector_url set) but a setting it needs is missing or unusable."""


def shipper_from_config(config: KioskConfig) -> Shipper | None:
    """A (not started) shipper for the configured collector, or None when ``collector_url`` is not set."""
    if not config.collector_url:
        return None
    missing = [name for name in ("collector_key", "private_key", "kiosk_id") if not getattr(config, name)]
    if missing:
        raise ShippingSetupError(f"collector_url is set but {', '.join(missing)} is not: the log is not shipped")
    assert config.private_key is not None
    try:
        private_key = load_private_key(config.private_key)
        collector_key = load_public_key(config.collector_key)
    except SigningKeyError as exc:
        raise ShippingSetupError(f"log shipping: {exc}") from None
    return Shipper(
        config.effective_log_db,
        collector=config.collector_url,
        collector_key=collector_key,
        kiosk_id=config.kiosk_id,
        private_key=private_key,
    )


def start_log_shipping(config: KioskConfig) -> Shipper | None:
    """Start shipping in the background (None when not configured, or when it cannot be set up: logged)."""
    try:
        shipper = shipper_from_config(config)
    except ShippingSetupError as exc:
        log.error("%s", exc)
        return None
    if shipper is not None:
        shipper.start()
        log.info("shipping the lookup log to %s", config.collector_url)
    return shipper


__all__ = ["ShippingSetupError", "shipper_from_config", "start_log_shipping"]
