"""Drawing the verification QR code (segno) and reading QR codes from images (zxing-cpp).

`make_code(text)` encodes the verification URL in two segments (address in byte mode,
payload in alphanumeric mode) at error correction level M; `png(code, ...)` draws it;
`printed(code, mm, dpi)` is the image a printer produces at that size (nearest-neighbour
scaling of whole modules); `read_texts(image_or_path)` returns the decoded texts.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import segno
import zxingcpp
from PIL import Image

from onewindow.certificates.qr.payload import url_segments

QUIET_ZONE = 4  # modules, as ISO/IEC 18004 requires
MAX_IMAGE_PIXELS = 40_000_000  # a photo of a licence, not a decompression bomb


def make_code(text: str, *, error: str = "m", base_url: str | None = None) -> segno.QRCode:
    segments: Any = url_segments(text, base_url)  # segno accepts (content, mode) segments
    return segno.make(segments, error=error, micro=False, boost_error=False)


def png(code: segno.QRCode, *, scale: int = 4) -> bytes:
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def png_data_uri(code: segno.QRCode, *, scale: int = 4) -> str:
    return "data:image/png;base64," + base64.b64encode(png(code, scale=scale)).decode("ascii")


def printed(code: segno.QRCode, *, mm: float = 35.0, dpi: int = 300) -> Image.Image:
    """The code as printed `mm` wide (quiet zone included) at `dpi` dots per inch."""
    pixels = round(mm / 25.4 * dpi)
    image = Image.open(io.BytesIO(png(code, scale=1))).convert("L")
    return image.resize((pixels, pixels), Image.Resampling.NEAREST)


def read_texts(source: Image.Image | str | Path | io.BytesIO) -> list[str]:
    """Texts of the QR codes found; an unreadable or oversized image gives none."""
    if isinstance(source, Image.Image):
        formats: Any = zxingcpp.BarcodeFormat.QRCode
        return [r.text for r in zxingcpp.read_barcodes(source, formats=formats)]
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(source) as image:
            image.load()
            return read_texts(image.convert("L"))
    except (OSError, Image.DecompressionBombError):  # not an image, damaged, or a bomb
        return []
