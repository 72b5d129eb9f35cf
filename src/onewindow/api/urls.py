from ninja import NinjaAPI

from onewindow.ledger.api import router as ledger_router

api = NinjaAPI(title="OneWindow API", version="1", urls_namespace="api")
api.add_router("/ledger/", ledger_router)
