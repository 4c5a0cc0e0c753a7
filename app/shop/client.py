"""`HttpShop`: the Shop protocol over a shop's order API (KEFU_SHOP_URL; contract in openapi.yaml).

Every call has a time budget (KEFU_SHOP_TIMEOUT_S). Reads are retried (KEFU_SHOP_READ_RETRIES) on network
errors and 5xx; writes never are: a write that timed out or met a 5xx may or may not have been applied, so
it is reported as `ShopUnavailable(outcome_unknown=True)` and its idempotency key makes a later retry safe.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import httpx

from app.shop.protocol import Order, Result, ShopError, ShopNotFound, ShopRefused, ShopUnavailable

BACKOFF_S = (0.1, 0.3, 0.6, 1.0, 1.5)


def _segment(value: str) -> str:
    return quote(str(value), safe="")


class HttpShop:
    """A shop order API at `base_url`."""

    def __init__(self, base_url: str, *, api_key: str | None = None, timeout_s: float = 5.0,
                 read_retries: int = 2) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.base_url = base_url.rstrip("/")
        self.read_retries = read_retries
        self._client = httpx.Client(base_url=self.base_url + "/v1", timeout=timeout_s, headers=headers)

    def close(self) -> None:
        self._client.close()

    # transport ---------------------------------------------------------------------------------
    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET a JSON body (None on 404), retrying network errors and 5xx."""
        for attempt in range(self.read_retries + 1):
            try:
                response = self._client.get(path, params=params)
            except httpx.HTTPError as exc:
                problem: str = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 500:
                    return self._body(response)
                problem = f"HTTP {response.status_code}"
            if attempt < self.read_retries:
                time.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
        raise ShopUnavailable(f"the shop order API did not answer GET {path}: {problem}")

    def _post(self, path: str, key: str, body: dict[str, Any]) -> Result:
        """POST a write once. Not sent at all (connection refused): nothing happened. Sent but no clear answer
        (timeout, dropped connection, 5xx): unknown, never assumed done."""
        try:
            response = self._client.post(path, json=body, headers={"Idempotency-Key": key})
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise ShopUnavailable(f"cannot reach the shop order API: {exc}") from exc
        except httpx.HTTPError as exc:
            raise ShopUnavailable(f"no answer from the shop order API to POST {path}: {type(exc).__name__}",
                                  outcome_unknown=True) from exc
        if response.status_code >= 500:
            raise ShopUnavailable(f"the shop order API failed POST {path}: HTTP {response.status_code}",
                                  outcome_unknown=True)
        result = self._body(response)
        if result is None:
            raise ShopNotFound(f"no order at {path}")
        return dict(result)

    @staticmethod
    def _body(response: httpx.Response) -> Any:
        if response.status_code == 404:
            return None
        if response.status_code in (409, 422):
            problem = _json(response)
            raise ShopRefused(str(problem.get("reason_code") or "refused"), str(problem.get("detail") or ""))
        if response.status_code >= 400:
            raise ShopError(f"the shop order API refused the request: HTTP {response.status_code} "
                            f"{response.text[:200]}")
        return response.json()

    # reads -------------------------------------------------------------------------------------
    def orders(self, user_id: str, *, limit: int | None = None, statuses: Iterable[str] | None = None) -> list[Order]:
        params: dict[str, Any] = {"status": sorted(statuses)} if statuses else {}
        if limit is not None:
            params["limit"] = int(limit)
        return list(self._get(f"/users/{_segment(user_id)}/orders", params) or [])

    def order(self, order_id: str) -> Order | None:
        found = self._get(f"/orders/{_segment(order_id)}")
        return dict(found) if found is not None else None

    def shipment(self, tracking_no: str) -> dict[str, Any] | None:
        found = self._get(f"/shipments/{_segment(tracking_no)}")
        return dict(found) if found is not None else None

    def variants(self, sku: str) -> list[dict[str, Any]]:
        return list(self._get(f"/products/{_segment(sku)}/variants") or [])

    def categories(self) -> list[dict[str, Any]]:
        return list(self._get("/categories") or [])

    # writes ------------------------------------------------------------------------------------
    def cancel_order(self, order_id: str, *, user_id: str, key: str) -> Result:
        return self._post(f"/orders/{_segment(order_id)}/cancel", key, {"user_id": user_id})

    def change_delivery(self, order_id: str, *, user_id: str, key: str, address: str | None = None,
                        phone: str | None = None) -> Result:
        body = {"user_id": user_id, "address": address, "phone": phone}
        return self._post(f"/orders/{_segment(order_id)}/delivery", key, {k: v for k, v in body.items() if v})

    def create_return(self, order_id: str, *, user_id: str, key: str, lines: list[dict[str, Any]], reason: str,
                      quality_issue: bool, paid_by: str) -> Result:
        return self._post(f"/orders/{_segment(order_id)}/returns", key, {
            "user_id": user_id, "lines": lines, "reason": reason, "quality_issue": quality_issue, "paid_by": paid_by})

    def create_exchange(self, order_id: str, *, user_id: str, key: str, line: int, attr: str, value: str,
                        to_attrs: dict[str, str], reason: str, quality_issue: bool, paid_by: str) -> Result:
        return self._post(f"/orders/{_segment(order_id)}/exchanges", key, {
            "user_id": user_id, "line": line, "attr": attr, "value": value, "to_attrs": to_attrs, "reason": reason,
            "quality_issue": quality_issue, "paid_by": paid_by})

    def claim_price_protection(self, order_id: str, *, user_id: str, key: str,
                               claims: list[dict[str, Any]]) -> Result:
        return self._post(f"/orders/{_segment(order_id)}/price-protection", key,
                          {"user_id": user_id, "claims": claims})

    def request_invoice(self, order_id: str, *, user_id: str, key: str, title_type: str, title: str,
                        tax_id: str | None, amount: float, revision: int) -> Result:
        return self._post(f"/orders/{_segment(order_id)}/invoices", key, {
            "user_id": user_id, "title_type": title_type, "title": title, "tax_id": tax_id, "amount": amount,
            "revision": revision})

    def urge_shipment(self, order_id: str, *, user_id: str, key: str, promised_ship_by: str) -> Result:
        return self._post(f"/orders/{_segment(order_id)}/urge", key,
                          {"user_id": user_id, "promised_ship_by": promised_ship_by})


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
