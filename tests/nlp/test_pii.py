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


def test_id_and_card_numbers_are_masked_in_every_form() -> None:
    from nlp.pii import mask_numbers

    text = (
        "身份证 430104 19900101 123X，老身份证430104900101123，银行卡6222 0212 3456 7890 123，"
        "卡号 6217001234567890，身份证号430104…（后面记不清）"
    )
    masked = mask_numbers(text)
    for secret in ("19900101", "900101123", "3456 7890", "1234567890", "430104…"):
        assert secret not in masked, secret
    assert "身份证" in masked and "银行卡" in masked  # what the numbers were stays readable


def test_a_sealed_reader_learns_nothing_that_identifies_the_reporter() -> None:
    from nlp.pii import redact_identity

    text = (
        "实名举报人：钱八，微信号 qianba_2024，QQ：12345678，邮箱 qb@example.com，"
        "电话 13912345678，座机 0731-84567890，身份证430104199001011234，开户行账号 6222021234567890123"
    )
    sealed = redact_identity(text, ("钱八", "A市A2区芙蓉中路88号", "13912345678"))
    for secret in ("钱八", "qianba_2024", "12345678", "qb@example.com", "5678", "84567890", "430104", "6222"):
        assert secret not in sealed, secret
