"""Map a standard to one of the 13 urgent priority areas of §7 by its title.

The catalogue does not say which §7 area a standard serves, so the area is
derived from keywords in the Chinese and English titles. Rules are tried
in order and the first rule with a matching keyword wins; the order puts
the more specific domain before the generic technique, e.g.

- ICS before SHARING and KEYPROD: 工业控制系统漏洞检测产品 is about
  industrial control, not vulnerability sharing or products in general;
- PI before BIGDATA and NEXTGEN: 个人信息去标识化, App 收集个人信息;
- IPTV before IOT: 智能家居终端安全 智能电视 is a smart-TV standard;
- NEXTGEN before KEYPROD: 移动智能终端操作系统 is a mobile-network terminal;
- IDENTITY before BIGDATA: 数字证书, 电子签名 and PKI are trust services.

Bare 保密 is not a SECRECY keyword because 保密性 (confidentiality) names
a cryptographic property (祖冲之序列密码算法 第2部分：保密性算法); only the
compounds that denote secrecy protection and supervision are used.

A standard matching no rule (classified protection 等级保护, cryptographic
algorithms, risk management, ISMS...) keeps ``None``: it is not one of the
§7 urgent areas.
"""

from __future__ import annotations

import re

#: Ordered (area_id, keywords) rules. Chinese keywords match as substrings;
#: ASCII keywords match case-insensitively at the start of a word.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CII", ("关键信息基础设施", "critical information infrastructure")),
    (
        "ICS",
        ("工业控制", "工控", "数控网络", "industrial control", "numerical control"),
    ),
    ("PI", ("个人信息", "personal information", "privacy")),
    (
        "IPTV",
        ("互联网电视", "智能电视", "网络电视", "smart tv", "internet tv", "iptv"),
    ),
    ("SMARTCITY", ("智慧城市", "smart city", "smart cities")),
    (
        "IOT",
        (
            "物联网",
            "车联网",
            "汽车电子",
            "射频识别",
            "智能家居",
            "智能音视频",
            "internet of things",
            "iot",
            "internet of vehicles",
            "automotive",
            "radio frequency identification",
            "rfid",
        ),
    ),
    (
        "NEXTGEN",
        (
            "5G",
            "移动通信",
            "移动互联网",
            "移动智能终端",
            "IPv6",
            "下一代网络",
            "新一代通信",
            "mobile communication",
            "mobile internet",
            "mobile network",
        ),
    ),
    (
        "REVIEW",
        (
            "网络安全审查",
            "云计算",
            "安全可控",
            "供应链",
            "cybersecurity review",
            "cloud computing",
            "supply chain",
        ),
    ),
    (
        "SECRECY",
        (
            "涉密",
            "保密防护",
            "保密管理",
            "保密检查",
            "保密技术",
            "secrecy",
            "classified information",
        ),
    ),
    (
        "IDENTITY",
        (
            "身份",
            "鉴别",
            "数字证书",
            "电子签名",
            "数字签名",
            "公钥基础设施",
            "PKI",
            "证书",
            "签名",
            "签章",
            "时间戳",
            "口令",
            "identity",
            "authentication",
            "certificate",
            "signature",
            "public key infrastructure",
            "time stamp",
            "timestamp",
        ),
    ),
    (
        "BIGDATA",
        (
            "大数据",
            "数据安全",
            "数据出境",
            "数据交易",
            "数据分类分级",
            "数据处理",
            "数据泄露",
            "数据接口",
            "健康医疗数据",
            "big data",
            "data security",
            "data transaction",
            "data classification",
            "data processing",
            "data leakage",
            "data interface",
            "cross-border data",
        ),
    ),
    (
        "SHARING",
        (
            "威胁信息",
            "漏洞",
            "信息共享",
            "安全事件",
            "应急",
            "信息报送",
            "网络攻击",
            "安全监测",
            "threat information",
            "vulnerabilit",
            "information sharing",
            "incident",
            "emergency",
            "information submission",
            "network attack",
            "security monitoring",
        ),
    ),
    (
        "KEYPROD",
        (
            "网络关键设备",
            "网络安全专用产品",
            "操作系统",
            "数据库",
            "芯片",
            "防火墙",
            "入侵检测",
            "隔离部件",
            "密码模块",
            "密码设备",
            "智能密码钥匙",
            "信息技术安全评估准则",
            "信息技术安全性评估",
            "critical network devices",
            "specialized cybersecurity products",
            "operating system",
            "database",
            "chip",
            "firewall",
            "intrusion detection",
            "products",
            "evaluation criteria for it security",
        ),
    ),
)

_VALID_IDS = (
    "CII", "REVIEW", "IDENTITY", "KEYPROD", "SECRECY", "ICS", "BIGDATA",
    "PI", "SMARTCITY", "IOT", "NEXTGEN", "IPTV", "SHARING",
)  # fmt: skip


def _compile(keyword: str) -> re.Pattern[str]:
    if keyword.isascii():
        # ASCII word start, so that "iot" does not match inside "idiot" while
        # "PKI组件" (no space before a Chinese character) still matches.
        return re.compile(r"(?<![A-Za-z0-9])" + re.escape(keyword), re.IGNORECASE)
    return re.compile(re.escape(keyword))


_COMPILED: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (area, tuple(_compile(k) for k in keywords)) for area, keywords in RULES
)


def matching_rule(title_zh: str | None, title_en: str | None) -> tuple[str, str] | None:
    """Return ``(area_id, keyword)`` of the first matching rule, or ``None``.

    Examples
    --------
    >>> matching_rule("信息安全技术 工业控制系统漏洞检测产品技术要求及测试评价方法", None)
    ('ICS', '工业控制')
    """
    texts = [t for t in (title_zh, title_en) if t]
    if not texts:
        return None
    for (area, patterns), (_, keywords) in zip(_COMPILED, RULES, strict=True):
        for pattern, keyword in zip(patterns, keywords, strict=True):
            if any(pattern.search(text) for text in texts):
                return area, keyword
    return None


def map_priority_area(title_zh: str | None, title_en: str | None) -> str | None:
    """Map a standard's titles to a §7 priority-area id, or ``None`` when none fits.

    Parameters
    ----------
    title_zh, title_en
        The Chinese and English titles; either may be missing.

    Returns
    -------
    str or None
        One of the 13 ids of ``priority_area.csv``.

    Examples
    --------
    >>> map_priority_area("信息安全技术 关键信息基础设施安全保护要求", None)
    'CII'
    >>> map_priority_area(None, "Security capability requirements for big data services")
    'BIGDATA'
    >>> map_priority_area("信息安全技术 SM4分组密码算法", None) is None
    True
    """
    found = matching_rule(title_zh, title_en)
    return found[0] if found else None


if {area for area, _ in RULES} != set(_VALID_IDS):  # pragma: no cover - import-time guard
    _msg = "priority_mapping.RULES must cover exactly the 13 areas of §7"
    raise RuntimeError(_msg)
