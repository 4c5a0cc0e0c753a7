"""FastAPI dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.service import ChatService, get_service
from app.settings import Settings


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_chat_service(settings: SettingsDep) -> ChatService:
    return get_service(settings)


ServiceDep = Annotated[ChatService, Depends(get_chat_service)]
