"""A clerk at 江汉 takes in a company set-up for an address in 洪山; 洪山's approver decides;
the applicant sees the result and the EMS number — in a real browser, checked with axe."""

from __future__ import annotations

import pytest

from onewindow.testing import PDF
from onewindow.testing.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    assert_accessible(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/cases/")


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()


def test_assisted_intake_decided_by_home_district(world, live_server, page, tmp_path):
    base = live_server.url
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)

    log_in(page, base, "clerk-jianghan", "pw-clerk-jianghan")
    page.goto(f"{base}/apply/company-establishment/")
    assert_accessible(page)
    page.get_by_label("收件服务中心（通办地）").select_option("wh-jianghan")
    page.get_by_label("申请人证件号码或统一社会信用代码").fill("420106199001010028")
    page.get_by_label("企业名称").fill("武汉云帆信息技术有限公司")
    page.get_by_label("公司类型").select_option("自然人投资或控股有限责任公司")
    page.get_by_label("注册资本（万元）").fill("100")
    page.get_by_label("经营范围").fill("软件开发；信息技术咨询服务")
    page.locator("#form-legal_representative").fill("演示申请人")
    page.get_by_label("法定代表人身份证号").fill("420106199001010028")
    page.get_by_label("住所使用方式").select_option("leased")
    page.get_by_label("住所（注册地址）").fill("湖北省武汉市洪山区珞南街道珞喻路129号")
    for code in (
        "application-form",
        "articles-of-association",
        "representative-id",
        "premises-ownership",
        "lease-contract",
    ):
        page.locator(f"#material-{code}").set_input_files(str(pdf))
    page.get_by_label("邮寄地址").fill("武汉市江汉区新华路1号")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{base}/cases/WH*/")
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    assert page.locator("#home-jurisdiction").inner_text() == "洪山区"
    assert page.locator("#do-accept").count() == 0  # the intake centre cannot decide
    assert_accessible(page)
    log_out(page)

    log_in(page, base, "approver-hongshan", "pw-approver-hongshan")
    page.goto(f"{base}/cases/?view=decide")
    assert_accessible(page)
    page.get_by_role("link", name=number).click()
    page.locator("#reason-accept").fill("材料齐全，予以受理")
    page.locator("#do-accept").click()
    page.locator("#reason-approve").fill("符合设立条件")
    page.locator("#do-approve").click()
    page.get_by_label("EMS 运单号").fill("EA123456785CN")
    page.locator("#reason-deliver").fill("EMS 寄出营业执照")
    page.locator("#do-deliver").click()
    assert page.locator("#case-status").inner_text() == "已办结"
    log_out(page)

    log_in(page, base, "applicant", "pw-applicant")
    page.get_by_role("link", name=number).click()
    assert page.locator("#case-status").inner_text() == "已办结"
    assert page.locator("#tracking-number").inner_text() == "EA123456785CN"
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    assert page.locator("#case-status").inner_text() == "Closed"
    assert_accessible(page)
