from ninja import Router

router = Router(tags=["letters of credit"])
