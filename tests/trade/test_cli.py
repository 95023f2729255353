"""Console commands: JSON output, tables, and error exits naming the argument."""

import json
from decimal import Decimal as D

import pytest

from tradewind.trade.cli import COMMANDS


def args(text: str) -> list[str]:
    return text.split()


WORKED_EXAMPLE = args(
    "--purchase-price 113 --vat 13 --rebate 9 --domestic-cost 0.60 --fx 7.10 --margin 10 "
    "--freight 0.30 --insurance-rate 0.3 --quantity 10000"
)


def run_json(capsys, command, argv):
    code = COMMANDS[command]([*argv, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def run_error(capsys, command, argv):
    code = COMMANDS[command](argv)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    return captured.err


def test_commands_are_price_load_and_lc():
    assert set(COMMANDS) == {"price", "load", "lc"}


def test_price_json_reproduces_the_worked_example(capsys):
    data = run_json(capsys, "price", [*WORKED_EXAMPLE, "--commission", "5"])
    assert data["prices"]["FOB"] == "16.37"
    assert data["prices"]["CFR"] == "16.67"
    assert data["prices"]["CIF"] == "16.72"
    assert data["prices"]["CIFC5"] == "17.60"
    assert data["prices_by_convention"]["textbook"]["CIF"] == "16.76"
    assert data["swap_cost"] == "6.3897"
    assert data["profit_rate_percent"] == "11.12"
    assert data["totals"]["FOB"] == "163700.00"
    assert data["totals"]["CIF"] == "167200.00"
    labels = [line["label"] for line in data["lines"]]
    assert "Export VAT rebate" in labels and "CIF (addon) insurance premium" in labels
    assert set(data["lines"][0]) == {"label", "formula", "value", "unit"}


def test_price_json_has_no_commission_keys_without_commission(capsys):
    data = run_json(capsys, "price", WORKED_EXAMPLE)
    assert "CIFC5" not in data["prices"]
    assert data["skipped"]["DDP"] == "no destination costs given"


def test_price_textbook_convention_and_margin_on_cost(capsys):
    data = run_json(capsys, "price", [*WORKED_EXAMPLE, "--convention", "textbook"])
    assert data["prices"]["CIF"] == "16.76" and data["convention"] == "textbook"
    data = run_json(capsys, "price", [*WORKED_EXAMPLE, "--margin-on", "cost"])
    assert data["prices"]["FOB"] == "16.21"


def test_price_per_container_freight_and_per_shipment_charges(capsys):
    argv = args(
        "--purchase-price 113 --vat 13 --rebate 9 --domestic-cost-per-shipment 6000 --fx 7.10 "
        "--margin 10 --freight-per-container 3000 --units-per-container 10000 "
        "--insurance-rate 0.3 --quantity 10000"
    )
    assert run_json(capsys, "price", argv)["prices"]["CIF"] == "16.72"


def test_price_destination_options_price_dap_and_ddp(capsys):
    argv = [*WORKED_EXAMPLE, "--dest-charges", "0.2", "--import-duty", "5", "--import-tax", "20"]
    prices = run_json(capsys, "price", argv)["prices"]
    assert D(prices["CIP"]) < D(prices["DAP"]) < D(prices["DDP"])


def test_price_reverse_mode_solves_purchase_price_and_margin(capsys):
    data = run_json(capsys, "price", [*WORKED_EXAMPLE, "--target-price", "16.37"])
    assert data["solved_for"] == "purchase_price_rmb"
    assert data["value"] == "113.00"
    data = run_json(
        capsys,
        "price",
        [*WORKED_EXAMPLE, "--target-price", "16.72", "--term", "CIF", "--solve", "margin"],
    )
    assert data["solved_for"] == "margin_percent"
    assert data["value"] == "9.98"


def test_price_table_is_the_default(capsys):
    assert COMMANDS["price"]([*WORKED_EXAMPLE, "--commission", "5"]) == 0
    out = capsys.readouterr().out
    assert "CIFC5" in out and "17.60" in out and "163,700.00" in out
    assert "Swap cost 6.3897 RMB/USD, profit rate 11.12 %" in out
    assert "Working:" in out


def test_price_reverse_table(capsys):
    assert COMMANDS["price"]([*WORKED_EXAMPLE, "--target-price", "16.37"]) == 0
    assert "Highest purchase price for FOB 16.37: 113.00 RMB/pc" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "option"),
    [
        (["--purchase-price", "-1"], "--purchase-price"),
        (["--purchase-price", "abc"], "--purchase-price"),
        (["--margin", "100"], "--margin"),
        (["--margin", "120", "--margin-on", "price"], "--margin"),
        (["--fx", "0"], "--fx"),
        (["--vat", "13", "--rebate", "15"], "--rebate"),
        (["--insurance-markup", "100"], "--insurance-markup"),
        (["--currency", "XYZ"], "--currency"),
        (["--quantity", "0"], "--quantity"),
        (["--mode", "air", "--target-price", "16", "--term", "FOB"], "--term"),
        (["--target-price", "16", "--term", "XYZ"], "--term"),
        (["--target-price", "0"], "--target-price"),
        (["--freight-per-container", "3000"], "--freight"),
        (["--purchase-price", "1e20"], "--purchase-price"),
    ],
)
def test_price_argument_errors_exit_2_naming_the_option(capsys, change, option):
    err = run_error(capsys, "price", [*WORKED_EXAMPLE, *change])
    assert err.startswith("tradewind price: error: ")
    assert option in err


def test_freight_per_container_needs_units_per_container(capsys):
    argv = [a for a in WORKED_EXAMPLE if a not in ("--freight", "0.30")]
    err = run_error(capsys, "price", [*argv, "--freight-per-container", "3000"])
    assert "--units-per-container" in err


def test_price_missing_required_argument_exits_2(capsys):
    err = run_error(capsys, "price", ["--purchase-price", "113"])
    assert "--fx" in err and "--margin" in err


def test_help_exits_0(capsys):
    assert COMMANDS["price"](["--help"]) == 0
    assert "--purchase-price" in capsys.readouterr().out


def test_load_json_reproduces_180_400_500(capsys):
    data = run_json(capsys, "load", ["--carton", "60x40x50", "--gross-weight", "22", "--upright"])
    containers = data["containers"]
    assert {code: c["cartons"] for code, c in containers.items()} == {
        "20GP": 180,
        "40GP": 400,
        "40HQ": 500,
    }
    assert all(c["limited_by"] == "volume" for c in containers.values())
    assert containers["20GP"]["utilisation_percent"] == "65.07"


def test_load_weight_limit_and_payload_override(capsys):
    argv = ["--carton", "60x40x50", "--gross-weight", "120", "--container", "40HQ"]
    assert run_json(capsys, "load", argv)["containers"]["40HQ"]["limited_by"] == "weight"
    data = run_json(capsys, "load", [*argv, "--max-payload-kg", "26500", "--quantity", "500"])
    assert data["containers"]["40HQ"]["cartons"] == 220
    assert data["containers"]["40HQ"]["containers_needed"] == 3


def test_load_table_is_the_default(capsys):
    assert COMMANDS["load"](["--carton", "60×40×50", "--gross-weight", "22", "--upright"]) == 0
    out = capsys.readouterr().out
    assert "20GP" in out and "180" in out and "volume" in out


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--carton", "700x40x50", "--gross-weight", "22", "--container", "20GP"], "--carton"),
        (["--carton", "60x40", "--gross-weight", "22"], "--carton"),
        (["--carton", "60x0x50", "--gross-weight", "22"], "--carton"),
        (["--carton", "60x40x50", "--gross-weight", "-3"], "--gross-weight"),
        (["--carton", "60x40x50", "--gross-weight", "30000"], "--gross-weight"),
        (["--carton", "60x40x50", "--gross-weight", "22", "--container", "53FT"], "--container"),
        (
            ["--carton", "60x40x50", "--gross-weight", "22", "--max-payload-kg", "0"],
            "--max-payload-kg",
        ),
        (["--gross-weight", "22"], "--carton"),
    ],
)
def test_load_argument_errors_exit_2_naming_the_option(capsys, argv, option):
    err = run_error(capsys, "load", argv)
    assert err.startswith("tradewind load: error: ")
    assert option in err


def test_lc_json_gives_the_last_presentation_day(capsys):
    data = run_json(capsys, "lc", ["--shipment-date", "2026-03-10", "--expiry", "2026-03-25"])
    assert data["last_presentation_day"] == "2026-03-25"
    assert data["discrepancies"] == []
    assert data["complying"] is True


def test_lc_bank_country_holidays_move_the_expiry(capsys):
    argv = ["--shipment-date", "2026-09-25", "--expiry", "2026-10-03", "--bank-country", "CN"]
    data = run_json(capsys, "lc", argv)
    assert data["last_presentation_day"] == "2026-10-08"
    assert data["closed_days"][0] == {"date": "2026-10-03", "reason": "National Day"}


def test_lc_without_bank_country_closes_on_weekends_only(capsys):
    argv = ["--shipment-date", "2026-09-25", "--expiry", "2026-10-03"]
    assert run_json(capsys, "lc", argv)["last_presentation_day"] == "2026-10-05"


def test_lc_json_lists_every_discrepancy(capsys):
    argv = args(
        "--shipment-date 2026-03-12 --expiry 2026-04-10 --latest-shipment 2026-03-10 "
        "--presented-on 2026-04-14 --amount 100000 --invoice-amount 120000 "
        "--insurance-required --insurance-amount 100000 --insurance-date 2026-03-13 "
        "--no-partial-shipments --shipments 2"
    )
    data = run_json(capsys, "lc", argv)
    assert [d["code"] for d in data["discrepancies"]] == [
        "late_shipment",
        "late_presentation",
        "expired",
        "amount_over_tolerance",
        "partial_shipment_prohibited",
        "insurance_under_cover",
        "insurance_dated_after_shipment",
    ]
    assert data["complying"] is False


def test_lc_table_is_the_default(capsys):
    argv = [
        "--shipment-date",
        "2026-03-10",
        "--expiry",
        "2026-03-25",
        "--presented-on",
        "2026-03-26",
    ]
    assert COMMANDS["lc"](argv) == 0
    out = capsys.readouterr().out
    assert "Last day for presentation: 2026-03-25 (Wednesday)" in out
    assert "Discrepancy [expired, UCP 600 art. 6(d)]" in out


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--shipment-date", "2026-02-30", "--expiry", "2026-03-25"], "--shipment-date"),
        (["--shipment-date", "2026-03-10", "--expiry", "soon"], "--expiry"),
        (["--shipment-date", "2026-03-10"], "--expiry"),
        (
            ["--shipment-date", "2026-03-10", "--expiry", "2026-03-25", "--presentation-days", "0"],
            "--presentation-days",
        ),
        (
            ["--shipment-date", "2026-03-10", "--expiry", "2026-03-25", "--bank-country", "XX"],
            "--bank-country",
        ),
        (
            [
                "--shipment-date",
                "2026-03-10",
                "--expiry",
                "2026-03-25",
                "--issue-date",
                "2026-04-01",
            ],
            "--expiry",
        ),
        (
            [
                "--shipment-date",
                "2026-03-10",
                "--expiry",
                "2026-03-25",
                "--presented-on",
                "2026-03-01",
            ],
            "--presented-on",
        ),
        (["--shipment-date", "2026-03-10", "--expiry", "2026-03-25", "--amount", "-5"], "--amount"),
        (
            ["--shipment-date", "2026-03-10", "--expiry", "2026-03-25", "--lc-quantity", "0"],
            "--lc-quantity",
        ),
    ],
)
def test_lc_argument_errors_exit_2_naming_the_option(capsys, argv, option):
    err = run_error(capsys, "lc", argv)
    assert err.startswith("tradewind lc: error: ")
    assert option in err
