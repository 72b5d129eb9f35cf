"""Reason codes of a verification result, each with a Chinese and an English message.

Codes are stable (verifiers in the field print them); `ok` is the only valid outcome.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ok": ("证照有效，签名核验通过", "The certificate is valid and its signature verifies"),
    "input.empty": ("没有收到二维码内容", "No QR content was given"),
    "input.too_large": (
        "输入过长，不是本平台的证照二维码",
        "The input is too long for a certificate QR code",
    ),
    "payload.prefix_unknown": (
        "不是本平台签发的证照二维码（前缀不符）",
        "Not a certificate QR code of this platform (unknown prefix)",
    ),
    "payload.base45_invalid": (
        "二维码内容已损坏（Base45 编码错误）",
        "The QR content is damaged (bad Base45)",
    ),
    "payload.zlib_invalid": (
        "二维码内容已损坏（无法解压）",
        "The QR content is damaged (cannot decompress)",
    ),
    "payload.cose_invalid": (
        "二维码内容已损坏（签名结构错误）",
        "The QR content is damaged (bad COSE structure)",
    ),
    "payload.claims_invalid": (
        "二维码内容格式不符",
        "The QR content does not have the expected fields",
    ),
    "key.unknown": (
        "签名密钥不在信任列表中（可能是其他机构或伪造的二维码）",
        "The signing key is not in the trust list (another issuer, or a forgery)",
    ),
    "key.revoked": (
        "签名密钥已被吊销，证照不可信",
        "The signing key was revoked; the certificate is not trusted",
    ),
    "key.not_valid_at_issue": (
        "签发时间不在签名密钥的有效期内",
        "The issue time is outside the signing key's validity period",
    ),
    "key.wrong_purpose": ("该密钥不能签发证照", "This key may not sign certificates"),
    "algorithm.unsupported": ("不支持的签名算法", "Unsupported signature algorithm"),
    "signature.invalid": (
        "签名无效：二维码内容被篡改或伪造",
        "Invalid signature: the content was altered or forged",
    ),
    "issuer.mismatch": (
        "签发机关与签名密钥不符",
        "The issuer does not match the signing key's department",
    ),
    "certificate.not_yet_valid": ("证照尚未生效", "The certificate is not valid yet"),
    "certificate.expired": ("证照已过有效期", "The certificate has expired"),
    "certificate.suspended": ("证照已被暂停", "The certificate is suspended"),
    "certificate.revoked": ("证照已被撤销", "The certificate has been revoked"),
    "certificate.unknown": (
        "平台中没有该证照的记录",
        "The platform has no record of this certificate",
    ),
}


def message(code: str, language: str = "zh") -> str:
    zh, en = MESSAGES.get(code, (code, code))
    return en if language.startswith("en") else zh
