"""Identity verification by the public-security service.

POST {base}/identity/verify {"name", "resident_id", "photo": base64} -> IdentityAnswer.
"""

from __future__ import annotations

import base64

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import SourceRejected
from onewindow.registries.connectors.http import HttpConnector
from onewindow.registries.connectors.identity import IdentityAnswer, IdentitySource


@register
class HttpIdentity(HttpConnector, IdentitySource):
    def verify(self, *, name: str, resident_id: str, photo: bytes) -> IdentityAnswer:
        data = self.request(
            "POST",
            "/identity/verify",
            json={
                "name": name,
                "resident_id": resident_id,
                "photo": base64.b64encode(photo).decode(),
            },
        )
        if not data or "result" not in data:
            raise SourceRejected(
                "registry.bad_answer",
                "身份核验服务返回了无法解析的结果",
                "The identity service answered without a result",
                details={"source": self.source},
            )
        return IdentityAnswer(str(data["result"]), float(data.get("score", 0.0)))
