"""A realistic MT700: USD 48,600 for one 40HQ of LED panels, CIF Hamburg, from Ningbo.

``mt700(today)`` is the clean credit that matches the contract of ``contract_terms(today)``;
``planted_mt700(today)`` has six mismatches planted in it:

1. 32B USD 45,000 ±5 % — at most 47,250, short of the 48,600 contract;
2. 45A FOB Ningbo against the CIF Hamburg contract;
3. 44F Rotterdam instead of Hamburg;
4. 46A without the insurance document CIF needs;
5. 44C ten days from today, with 30 days of production;
6. 46A an inspection certificate signed by the applicant (a soft clause).
"""

import datetime as dt
from decimal import Decimal

from tradewind.trade.lc_review import ContractLine, ContractTerms


def yymmdd(day: dt.date) -> str:
    return day.strftime("%y%m%d")


DOCUMENTS = """+SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS AND 3 COPIES INDICATING THIS L/C NUMBER
AND CONTRACT NO. PI-2026-0007
+FULL SET OF CLEAN ON BOARD OCEAN BILLS OF LADING MADE OUT TO ORDER AND BLANK
ENDORSED, MARKED FREIGHT PREPAID AND NOTIFY APPLICANT
+INSURANCE POLICY OR CERTIFICATE IN DUPLICATE, ENDORSED IN BLANK, FOR 110 PCT OF THE
INVOICE VALUE, COVERING INSTITUTE CARGO CLAUSES (A) AND INSTITUTE WAR CLAUSES
+PACKING LIST IN 3 FOLDS SHOWING GROSS AND NET WEIGHT OF EACH CARTON
+CERTIFICATE OF ORIGIN ISSUED BY CCPIT"""

PLANTED_DOCUMENTS = """+SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS AND 3 COPIES INDICATING THIS L/C
NUMBER AND CONTRACT NO. PI-2026-0007
+FULL SET OF CLEAN ON BOARD OCEAN BILLS OF LADING MADE OUT TO ORDER AND BLANK
ENDORSED, MARKED FREIGHT PREPAID AND NOTIFY APPLICANT
+PACKING LIST IN 3 FOLDS SHOWING GROSS AND NET WEIGHT OF EACH CARTON
+INSPECTION CERTIFICATE ISSUED AND SIGNED BY APPLICANT'S AUTHORIZED REPRESENTATIVE
CERTIFYING THAT THE GOODS ARE IN GOOD ORDER
+CERTIFICATE OF ORIGIN ISSUED BY CCPIT"""


def mt700(
    today: dt.date,
    *,
    amount: str = "48600,00",
    term: str = "CIF HAMBURG",
    discharge: str = "HAMBURG, GERMANY",
    documents: str = DOCUMENTS,
    latest_in_days: int = 60,
    number: str = "HH26LC0417",
) -> str:
    latest = today + dt.timedelta(days=latest_in_days)
    header = "{1:F01BKCHCNBJA940000000000}{2:O7001015260301COBADEHHXXXX00000000002603011015N}"
    return (
        header
        + f"""{{4:
:27:1/1
:40A:IRREVOCABLE
:20:{number}
:31C:{yymmdd(today - dt.timedelta(days=2))}
:40E:UCP LATEST VERSION
:31D:{yymmdd(latest + dt.timedelta(days=15))}CHINA
:50:NORDLICHT LEUCHTEN GMBH
SPEICHERSTADT 12
20457 HAMBURG GERMANY
:59:NINGBO BRIGHTWAY LIGHTING CO., LTD.
NO. 88 JINGANG ROAD, BEILUN
NINGBO CHINA
:32B:USD{amount}
:39A:05/05
:41D:ANY BANK IN CHINA
BY NEGOTIATION
:42C:AT SIGHT
:42A:COBADEHHXXX
:43P:NOT ALLOWED
:43T:ALLOWED
:44E:NINGBO, CHINA
:44F:{discharge}
:44C:{yymmdd(latest)}
:45A:+3,600 PCS LED PANEL LIGHT 600X600MM 40W, MODEL TW-P6060-40
AT USD 13.50 PER PC {term} INCOTERMS 2020
AS PER PROFORMA INVOICE NO. PI-2026-0007
PACKED IN 1X40HQ CONTAINER
:46A:{documents}
:47A:+ALL DOCUMENTS MUST BEAR THIS L/C NUMBER
+A DISCREPANCY FEE OF USD 80.00 WILL BE DEDUCTED FROM THE PROCEEDS FOR EACH SET OF
DISCREPANT DOCUMENTS
+THIRD PARTY DOCUMENTS EXCEPT DRAFT AND INVOICE ARE ACCEPTABLE
:71D:ALL BANKING CHARGES OUTSIDE GERMANY ARE FOR ACCOUNT OF BENEFICIARY
:48:15/DAYS AFTER THE DATE OF SHIPMENT
:49:WITHOUT
:78:DOCUMENTS TO BE SENT TO US IN ONE LOT BY COURIER
-}}"""
    )


def planted_mt700(today: dt.date) -> str:
    return mt700(
        today,
        amount="45000,00",
        term="FOB NINGBO",
        discharge="ROTTERDAM, NETHERLANDS",
        documents=PLANTED_DOCUMENTS,
        latest_in_days=10,
    )


def contract_terms(today: dt.date, **overrides) -> ContractTerms:
    values = {
        "currency": "USD",
        "total_amount": Decimal("48600.00"),
        "incoterm": "CIF",
        "named_place": "Hamburg",
        "port_of_loading": "Ningbo",
        "destination_port": "Hamburg",
        "latest_shipment_date": today + dt.timedelta(days=60),
        "production_lead_time_days": 30,
        "partial_shipment_allowed": False,
        "transhipment_allowed": True,
        "insurance_percent": Decimal(110),
        "lines": (
            ContractLine(
                description="LED panel light 600x600 mm, 40 W",
                quantity=3600,
                unit="pcs",
                model="TW-P6060-40",
            ),
        ),
        "lc_tenor_days": 0,
    }
    values.update(overrides)
    return ContractTerms(**values)
