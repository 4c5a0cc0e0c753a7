"""`kefu shop serve`: the demo store behind the shop order API (contract: contract.py, openapi.yaml).

The HTTP path of kefu is tested against this real server, and a shop can read it as a reference for the
same endpoints in front of its own order system. Every POST needs an `Idempotency-Key` header.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from app.settings import Settings
from app.shop import contract as c
from app.shop.demo import DemoShop
from app.shop.protocol import ShopNotFound, ShopRefused, ShopUnavailable

API_VERSION = "1.0.0"
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": c.Problem, "description": "No such order (or not this user's)."},
    409: {"model": c.Problem, "description": "The order's state does not allow the write (nothing was done)."},
    503: {"model": c.Problem, "description": "The order system is unavailable."},
}
WRITE_ERRORS = {**ERRORS, 422: {"model": c.Problem, "description": "Bad body, or an idempotency key reused "
                                "for another request."}}
KeyHeader = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=200,
                                  description="Unique per intended write; a retry with the same key is answered "
                                  "with the first answer and changes nothing.")]


def _problem(status: int, error: str, detail: str, reason_code: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": error, "reason_code": reason_code, "detail": detail})


def create_shop_app(settings: Settings, shop: DemoShop | None = None) -> FastAPI:
    """The order API over the demo store of `settings` (created on first use)."""
    app = FastAPI(title="kefu shop order API", version=API_VERSION,
                  description="What kefu needs from a shop's order system. kefu reads orders and sends writes on "
                              "behalf of the customer it serves; every write carries an Idempotency-Key.")
    state: dict[str, DemoShop] = {}

    def demo() -> DemoShop:
        if "shop" not in state:
            from app.store import ensure_demo_store

            state["shop"] = shop or DemoShop(ensure_demo_store(settings))
        return state["shop"]

    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.shop_api_key and not hmac.compare_digest(authorization or "", f"Bearer {settings.shop_api_key}"):
            raise HTTPException(status_code=401, detail="a valid Bearer token is required")

    @app.exception_handler(ShopNotFound)
    def not_found(_: Request, exc: ShopNotFound) -> JSONResponse:
        return _problem(404, "not_found", str(exc))

    @app.exception_handler(ShopRefused)
    def refused(_: Request, exc: ShopRefused) -> JSONResponse:
        status = 422 if exc.reason_code == "idempotency_key_reused" else 409
        return _problem(status, "refused", exc.detail, exc.reason_code)

    @app.exception_handler(ShopUnavailable)
    def unavailable(_: Request, exc: ShopUnavailable) -> JSONResponse:
        return _problem(503, "unavailable", str(exc))

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        demo()
        return {"status": "ok"}

    _reads(app, demo, authorised)
    _writes(app, demo, authorised)
    return app


def _reads(app: FastAPI, demo: Callable[[], DemoShop], authorised: Callable[..., None]) -> None:
    deps = [Depends(authorised)]

    @app.get("/v1/users/{user_id}/orders", tags=["orders"], dependencies=deps, responses=ERRORS)
    def user_orders(user_id: str, status: Annotated[list[str] | None, Query()] = None,
                    limit: Annotated[int | None, Query(ge=1, le=1000)] = None) -> list[c.OrderSummary]:
        """A user's orders, newest first (optionally only some statuses), with their items."""
        return demo().orders(user_id, limit=limit, statuses=status)  # type: ignore[return-value]

    @app.get("/v1/orders/{order_id}", tags=["orders"], dependencies=deps, responses=ERRORS)
    def order(order_id: str) -> c.Order:
        """One order with items, shipment and logistics events, refunds, after-sales, invoices, claims, urges."""
        found = demo().order(order_id)
        if found is None:
            raise ShopNotFound(f"no order {order_id}")
        return found  # type: ignore[return-value]

    @app.get("/v1/shipments/{tracking_no}", tags=["logistics"], dependencies=deps, responses=ERRORS)
    def shipment(tracking_no: str) -> c.Shipment:
        """The parcel with this tracking number and its logistics events (oldest first)."""
        found = demo().shipment(tracking_no)
        if found is None:
            raise ShopNotFound(f"no parcel {tracking_no}")
        return found  # type: ignore[return-value]

    @app.get("/v1/categories", tags=["products"], dependencies=deps, responses=ERRORS)
    def categories() -> list[c.Category]:
        """The catalogue's categories (the category pilot names them)."""
        return demo().categories()  # type: ignore[return-value]

    @app.get("/v1/products/{sku}/variants", tags=["products"], dependencies=deps, responses=ERRORS)
    def variants(sku: str) -> list[c.Variant]:
        """Sizes and colours of a product with their stock (empty when it has none)."""
        return demo().variants(sku)  # type: ignore[return-value]


def _writes(app: FastAPI, demo: Callable[[], DemoShop], authorised: Callable[..., None]) -> None:
    options: dict[str, Any] = {"tags": ["writes"], "dependencies": [Depends(authorised)],
                               "responses": WRITE_ERRORS, "response_model_exclude_none": True}

    @app.post("/v1/orders/{order_id}/cancel", **options)
    def cancel(order_id: str, body: c.WriteRequest, key: KeyHeader) -> c.WriteResult:
        """Cancel an order that has not shipped; a paid order is refunded to its payment method."""
        return demo().cancel_order(order_id, user_id=body.user_id, key=key)  # type: ignore[return-value]

    @app.post("/v1/orders/{order_id}/delivery", **options)
    def delivery(order_id: str, body: c.DeliveryChange, key: KeyHeader) -> c.WriteResult:
        """Change the delivery address and/or phone of an order that has not shipped."""
        return demo().change_delivery(order_id, user_id=body.user_id, key=key, address=body.address,  # type: ignore[return-value]
                                      phone=body.phone)

    @app.post("/v1/orders/{order_id}/returns", **options)
    def create_return(order_id: str, body: c.ReturnCreate, key: KeyHeader) -> c.WriteResult:
        """Open a return of some lines of a received order."""
        return demo().create_return(order_id, user_id=body.user_id, key=key,  # type: ignore[return-value]
                                    lines=[line.model_dump() for line in body.lines], reason=body.reason,
                                    quality_issue=body.quality_issue, paid_by=body.paid_by)

    @app.post("/v1/orders/{order_id}/exchanges", **options)
    def create_exchange(order_id: str, body: c.ExchangeCreate, key: KeyHeader) -> c.WriteResult:
        """Open an exchange of one line for another size or colour in stock."""
        return demo().create_exchange(order_id, user_id=body.user_id, key=key, line=body.line,  # type: ignore[return-value]
                                      attr=body.attr, value=body.value, to_attrs=body.to_attrs, reason=body.reason,
                                      quality_issue=body.quality_issue, paid_by=body.paid_by)

    @app.post("/v1/orders/{order_id}/price-protection", **options)
    def price_protection(order_id: str, body: c.PriceProtectionClaim, key: KeyHeader) -> c.WriteResult:
        """Refund the price difference of lines whose price fell since payment."""
        return demo().claim_price_protection(order_id, user_id=body.user_id, key=key,  # type: ignore[return-value]
                                             claims=[claim.model_dump() for claim in body.claims])

    @app.post("/v1/orders/{order_id}/invoices", **options)
    def invoice(order_id: str, body: c.InvoiceCreate, key: KeyHeader) -> c.WriteResult:
        """Issue an electronic invoice (a higher revision replaces the previous one)."""
        return demo().request_invoice(order_id, user_id=body.user_id, key=key, title_type=body.title_type,  # type: ignore[return-value]
                                      title=body.title, tax_id=body.tax_id, amount=body.amount,
                                      revision=body.revision)

    @app.post("/v1/orders/{order_id}/urge", **options)
    def urge(order_id: str, body: c.UrgeCreate, key: KeyHeader) -> c.WriteResult:
        """Record the customer's request to hurry an order that has not shipped."""
        return demo().urge_shipment(order_id, user_id=body.user_id, key=key,  # type: ignore[return-value]
                                    promised_ship_by=body.promised_ship_by)
