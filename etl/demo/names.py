"""Name banks for the synthetic demo: programmes, sites, funders, sectors, free text.

Every organisation name is generic on purpose ("某市大数据中心", "国网某省电力
公司"): the demo describes no real organisation and no real person. Lead
departments are the kinds of bodies that run pilots under §13 of the Opinions.
"""

from __future__ import annotations

# Short province names, by GB/T 2260 code (mainland provinces only: the demo's
# sites and respondents are all on the mainland).
PROVINCE_SHORT: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江", "31": "上海", "32": "江苏",
    "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西",
    "46": "海南", "50": "重庆", "51": "四川", "52": "贵州", "53": "云南",
    "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏",
    "65": "新疆",
}  # fmt: skip

# Relative weight of a province among pilot sites and survey respondents:
# roughly the size of its digital economy (a demo assumption, not a statistic).
PROVINCE_WEIGHT: dict[str, float] = {
    "11": 9.0, "12": 2.0, "13": 2.5, "14": 1.2, "15": 1.0, "21": 1.8, "22": 0.9,
    "23": 1.0, "31": 8.0, "32": 7.0, "33": 7.0, "34": 2.5, "35": 3.0, "36": 1.5,
    "37": 4.5, "41": 3.0, "42": 3.5, "43": 2.5, "44": 10.0, "45": 1.3, "46": 0.6,
    "50": 2.0, "51": 3.5, "52": 1.5, "53": 1.0, "54": 0.2, "61": 2.0, "62": 0.6,
    "63": 0.3, "64": 0.4, "65": 0.7,
}  # fmt: skip

# Eastern, digitally advanced provinces: implementation and awareness a little
# higher there (one of the planted regional differences).
EAST: frozenset[str] = frozenset({"11", "12", "31", "32", "33", "35", "37", "44"})

PRIORITY_AREA_SHORT: dict[str, str] = {
    "CII": "关键信息基础设施安全保护",
    "REVIEW": "网络安全审查",
    "IDENTITY": "网络空间可信身份",
    "KEYPROD": "关键信息技术产品安全",
    "SECRECY": "网络空间保密防护",
    "ICS": "工业控制系统安全",
    "BIGDATA": "大数据安全",
    "PI": "个人信息保护",
    "SMARTCITY": "智慧城市安全",
    "IOT": "物联网安全",
    "NEXTGEN": "新一代通信网络安全",
    "IPTV": "互联网电视终端安全",
    "SHARING": "网络安全信息共享",
}

LEAD_DEPARTMENT: dict[str, tuple[str, ...]] = {
    "CII": ("中央网信办网络安全协调局", "公安部网络安全保卫局"),
    "REVIEW": ("中央网信办网络安全审查办公室",),
    "IDENTITY": ("公安部网络安全保卫局", "国家密码管理局"),
    "KEYPROD": ("工业和信息化部网络安全管理局", "国家市场监督管理总局"),
    "SECRECY": ("国家保密局",),
    "ICS": ("工业和信息化部网络安全管理局",),
    "BIGDATA": ("国家数据局", "中央网信办网络数据管理局"),
    "PI": ("中央网信办网络数据管理局", "国家市场监督管理总局"),
    "SMARTCITY": ("国家发展和改革委员会", "住房和城乡建设部"),
    "IOT": ("工业和信息化部网络安全管理局",),
    "NEXTGEN": ("工业和信息化部信息通信管理局",),
    "IPTV": ("国家广播电视总局",),
    "SHARING": ("中央网信办网络安全协调局", "国家计算机网络应急技术处理协调中心"),
}

PROGRAM_KIND: tuple[str, ...] = ("标准应用试点", "标准实施示范", "标准验证试点", "标准宣贯实施试点")

# Sectors per priority area (the first ones are the most likely).
SECTORS: dict[str, tuple[str, ...]] = {
    "CII": ("能源", "金融", "电信", "交通", "水利"),
    "REVIEW": ("电信", "互联网", "金融", "能源"),
    "IDENTITY": ("政务", "金融", "互联网"),
    "KEYPROD": ("制造业", "电子信息", "电信"),
    "SECRECY": ("政务", "国防科技工业"),
    "ICS": ("能源", "制造业", "化工", "水利"),
    "BIGDATA": ("政务", "互联网", "医疗卫生", "金融"),
    "PI": ("互联网", "金融", "医疗卫生", "教育"),
    "SMARTCITY": ("政务", "公共服务", "交通"),
    "IOT": ("制造业", "交通", "公共服务", "能源"),
    "NEXTGEN": ("电信", "互联网"),
    "IPTV": ("广播电视", "电子信息"),
    "SHARING": ("政务", "电信", "金融", "能源"),
}

# Site name patterns per (org type, sector); {p} is the short province name.
# Generic by design: "某" stands for the organisation's name.
_ENTERPRISE_BY_SECTOR: dict[str, tuple[str, ...]] = {
    "能源": ("国网某省电力公司（{p}）", "{p}某燃气集团有限公司", "{p}某发电有限公司"),
    "金融": ("某银行{p}分行", "{p}某农村商业银行", "某证券股份有限公司（{p}）"),
    "电信": ("某运营商{p}分公司", "{p}某通信技术有限公司"),
    "交通": ("{p}某市轨道交通集团有限公司", "{p}某港口集团有限公司"),
    "水利": ("{p}某水务集团有限公司",),
    "互联网": ("{p}某网络科技有限公司", "{p}某云计算服务有限公司"),
    "制造业": ("{p}某汽车制造有限公司", "{p}某智能装备股份有限公司"),
    "化工": ("{p}某石化有限公司",),
    "电子信息": ("{p}某电子科技股份有限公司", "{p}某终端设备有限公司"),
    "医疗卫生": ("{p}某医疗信息技术有限公司",),
    "教育": ("{p}某教育科技有限公司",),
    "政务": ("{p}某数字政府运营有限公司",),
    "公共服务": ("{p}某智慧城市运营有限公司",),
    "广播电视": ("{p}某广电网络股份有限公司",),
    "国防科技工业": ("{p}某电子研究所有限公司",),
}
_OTHER_BY_TYPE: dict[str, tuple[str, ...]] = {
    "university": ("{p}某大学网络空间安全学院", "{p}某理工大学信息安全研究中心"),
    "research_institute": ("{p}某信息技术研究院", "{p}某网络安全研究所"),
    "testing_body": ("{p}某信息安全测评中心", "{p}某网络安全检测认证有限公司"),
    "government": ("{p}某市网信办", "{p}某市大数据管理局", "{p}通信管理局某处"),
}


_USER_BY_SECTOR: dict[str, tuple[str, ...]] = {
    "能源": ("{p}某热电厂", "{p}某供电服务中心"),
    "金融": ("{p}某城市商业银行数据中心", "{p}某保险公司数据中心"),
    "电信": ("{p}某互联网数据中心",),
    "交通": ("{p}某高速公路管理中心", "{p}某机场信息中心"),
    "水利": ("{p}某水库管理局",),
    "医疗卫生": ("{p}某三甲医院", "{p}某市疾病预防控制中心"),
    "政务": ("{p}某市大数据中心", "{p}某市政务服务中心"),
    "公共服务": ("{p}某市城市运行管理中心", "{p}某市大数据中心"),
    "教育": ("{p}某市教育信息中心",),
    "广播电视": ("{p}某市融媒体中心",),
}


def site_patterns(org_type: str, sector: str) -> tuple[str, ...]:
    """Return the name patterns for a site of ``org_type`` in ``sector``."""
    if org_type == "enterprise":
        return _ENTERPRISE_BY_SECTOR.get(sector, ("{p}某科技有限公司",))
    if org_type == "user":
        return _USER_BY_SECTOR.get(sector, ("{p}某市大数据中心",))
    return _OTHER_BY_TYPE[org_type]


CENTRAL_FUNDERS: tuple[str, ...] = (
    "财政部（中央网信办部门预算）",
    "财政部（工业和信息化部部门预算）",
    "财政部（国家标准委标准化专项）",
    "财政部（公安部部门预算）",
)
FOUNDATIONS: tuple[str, ...] = (
    "某网络安全公益基金会",
    "某数字安全发展基金会",
    "某科技创新公益基金会",
)
OTHER_FUNDERS: tuple[str, ...] = ("某行业协会", "某产业联盟")
STANDARD_DRAFTERS: tuple[str, ...] = (
    "某网络安全研究院",
    "某大学网络空间安全学院",
    "某信息安全测评中心",
    "某网络安全技术有限公司",
    "某标准化研究院",
)

PROBLEMS: tuple[str, ...] = (
    "部分条款表述不够清晰，理解存在歧义",
    "与行业标准存在交叉，需进一步协调",
    "缺少配套实施指南和案例",
    "测评方法可操作性不强",
    "中小单位实施成本较高",
    "技术要求与新技术发展存在差距",
    "专业人员不足，实施进度滞后",
    "部分指标难以量化考核",
)
SUGGESTIONS: tuple[str, ...] = (
    "建议补充实施指南和典型案例",
    "建议细化符合性测评要求",
    "建议加强与相关国家标准的衔接",
    "建议缩短修订周期，及时纳入新技术",
    "建议开展面向中小单位的宣贯培训",
    "建议提供配套工具和模板",
)

# Titles of still-open standard projects (the catalogue only has published ones).
OPEN_PROJECT_TOPICS: tuple[str, ...] = (
    "人工智能生成内容安全要求",
    "数据出境安全评估实施指南",
    "车联网数据安全要求",
    "工业互联网平台安全防护要求",
    "量子密钥分发网络安全要求",
    "生成式人工智能服务安全基本要求",
    "数据分类分级规则实施指南",
    "网络安全事件应急演练指南",
    "关键信息基础设施安全检查评估指南",
    "智能家居设备安全通用要求",
    "云计算服务安全能力评估方法",
    "区块链信息服务安全规范",
    "个人信息去标识化效果评估指南",
    "政务数据共享安全要求",
    "卫星互联网安全技术要求",
)
