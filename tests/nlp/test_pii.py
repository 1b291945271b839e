import logging

from nlp.pii import PiiFilter, mask_phone, mask_pii


def test_mobile_landline_id_and_house_numbers_are_masked() -> None:
    text = "张三 13812345678 身份证11010519491231002X 住建设路12号3栋501室 座机0731-84567890"
    masked = mask_pii(text)
    for secret in ("13812345678", "11010519491231002X", "12号", "84567890"):
        assert secret not in masked
    assert "138****5678" in masked
    assert "建设路" in masked


def test_mask_phone_for_display() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("+86 138 1234 1234") == "138****1234"


def test_log_filter_masks_arguments(caplog) -> None:  # type: ignore[no-untyped-def]
    logger = logging.getLogger("test.pii")
    handler = caplog.handler
    handler.addFilter(PiiFilter())
    try:
        with caplog.at_level(logging.INFO, logger="test.pii"):
            logger.info("citizen phone %s", "13912345678")
    finally:
        handler.removeFilter(handler.filters[-1])
    assert "13912345678" not in caplog.text
    assert "139****5678" in caplog.text
