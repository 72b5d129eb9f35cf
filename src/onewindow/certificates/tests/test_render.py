"""The printed QR code decodes (zxing-cpp, from rendered images) at 35 mm, also from a
blurred, downscaled 'photo'; the PDF licence has selectable Chinese text and an embedded QR
code that decodes and verifies."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image, ImageFilter
from pypdf import PdfReader

from onewindow.certificates import render
from onewindow.certificates.public import current_trust
from onewindow.certificates.qr import image
from onewindow.certificates.qr.payload import extract_text, verification_url
from onewindow.certificates.verification import verify_text

pytestmark = pytest.mark.django_db


def test_a_licence_with_five_permits_fits_35_mm_at_level_m(licence):
    code = image.make_code(licence.payload, error="m")
    printed = image.printed(code, mm=35, dpi=300)
    texts = image.read_texts(printed)
    assert texts == [verification_url(licence.payload)]
    assert extract_text(texts[0]) == licence.payload
    assert code.version <= 15 and code.error == "M"
    # A phone photo: smaller, softer, a little darker on grey paper.
    side = round(printed.width * 0.7)  # ~3.5 camera pixels per module
    photo = printed.resize((side, side), Image.Resampling.BILINEAR).filter(
        ImageFilter.GaussianBlur(0.8)
    )
    photo = photo.point(lambda v: 40 + v * 0.7)
    assert [extract_text(t) for t in image.read_texts(photo)] == [licence.payload]
    print(
        f"\npayload {len(licence.payload)} chars, URL {len(texts[0])} chars, QR version "
        f"{code.version}-{code.error}, {code.symbol_size(scale=1)[0]} modules with quiet zone"
    )


def test_pdf_text_is_selectable_and_its_qr_decodes(licence):
    assert render.missing_fonts() == []
    render.licence_pdf(licence)  # the first rendering loads fonts and fontconfig
    started = time.perf_counter()
    pdf = render.licence_pdf(licence)
    elapsed = time.perf_counter() - started
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "营业执照",
        "统一社会信用代码",
        "91420600MA4K0A0A18",
        "襄阳市汉江源食品科技有限公司",
        "法定代表人",
        "王建国",
        "经营范围",
        "注册资本",
        "壹佰万圆整",
        "成立日期",
        "2026年12月01日",
        "住所",
        "登记机关",
        "襄阳市市场监督管理局",
        "食品经营许可证",
    ):
        assert expected in text.replace(" ", ""), expected
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts == {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}
    embedded = reader.pages[0].images
    assert len(embedded) == 1
    qr = Image.open(io.BytesIO(embedded[0].data))
    decoded = [extract_text(t) for t in image.read_texts(qr)]
    assert decoded == [licence.payload]
    assert verify_text(decoded[0], current_trust()).reason == "ok"
    print(f"\nPDF {len(pdf)} bytes rendered in {elapsed * 1000:.0f} ms")


def test_html_rendering_carries_the_same_qr(licence):
    html = render.licence_html(licence)
    assert '<html lang="zh-CN">' in html and "统一社会信用代码" in html
    assert 'alt="核验二维码' in html
    start = html.index("data:image/png;base64,") + len("data:image/png;base64,")
    import base64

    png = base64.b64decode(html[start : html.index('"', start)])
    assert [extract_text(t) for t in image.read_texts(Image.open(io.BytesIO(png)))] == [
        licence.payload
    ]
