"""Names for what the generator invents: cities, their aliases, and generated events."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from lowcarbon.catalog import normalize

__all__ = [
    "EVENT_KINDS",
    "EVENT_THEMES",
    "CityName",
    "city_names",
    "name_capacity",
]

# Characters of place names, with a romanization (Hanyu Pinyin, no tones). A city's stem is two
# of them; the stem, its romanization and its slug must each be unique. Characters that occur in
# any other text the generator writes (templates, the reused catalog) are dropped at run time,
# so that a stem can never be found inside a sentence or another entity's name.
_TABLE = (
    "澄cheng 嵐lan 楓feng 湄mei 峪yu 岑cen 汀ting 澗jian 榕rong 柏bo 樺hua 梧wu 楠nan 漪yi "
    "巒luan 崗gang 埔pu 坪ping 寮liao 嶼yu 溪xi 潭tan 峰feng 嶺ling 岩yan 磐pan 松song 竹zhu "
    "梅mei 菊ju 桂gui 杉shan 檜kuai 椰ye 棠tang 桐tong 楊yang 柳liu 槐huai 榆yu 杏xing 桃tao "
    "李li 梨li 橘ju 柚you 荔li 蓮lian 荷he 萍ping 蘆lu 葦wei 茅mao 芝zhi 蕙hui 芸yun "
    "芷zhi 芮rui 苑yuan 莊zhuang 堡bao 寨zhai 鎮zhen 鄉xiang 村cun 埕cheng 埤pi 圳zun 渠qu 港gang "
    "澳ao 浦pu 津jin 渡du 洲zhou 島dao 岬jia 崖ya 丘qiu 陵ling 野ye 畦qi 壩ba 堤di "
    "泉quan 瀑bao 溫wen 涼liang 霞xia 霧wu 雲yun 雪xue 霜shuang 露lu 虹hong 星xing 辰chen 曦xi "
    "暉hui 晨chen 曉xiao 昕xin 旭xu 晴qing 暄xuan 煦xu 熙xi 焰yan 燁ye 煌huang 燦can 銀yin "
    "銅tong 玉yu 珍zhen 珠zhu 璋zhang 瑞rui 祥xiang 福fu 壽shou 康kang 寧ning 泰tai 靖jing 隆long "
    "昌chang 盛sheng 豐feng 淳chun 雅ya 秀xiu 麗li 翠cui 碧bi 紫zi 玄xuan 蒼cang 丹dan 彤tong "
    "鶴he 鷺lu 燕yan 鷹ying 鳳feng 麟lin 龜gui 鯉li 蝶die 蟬chan 駒ju 鹿lu 岳yue 嵩song "
    "峨e 崑kun 崙lun 滄cang 瀚han 潼tong 淇qi 沅yuan 湘xiang 漳zhang 泗si 沂yi 汾fen 渭wei "
    "涇jing 淮huai 濱bin 汐xi 澤ze 沙sha 灘tan 墩dun 圓yuan 錦jin 繡xiu 綺qi 琳lin 琅lang "
    "瑤yao 璇xuan 珮pei 琦qi 瑜yu 瑾jin 岫xiu 峴xian 巖yan 嶠qiao 崢zheng 嵋mei 鈺yu 鑫xin "
    "磊lei 礁jiao 碩shuo 硯yan 楷kai 樟zhang 楹ying 栗li 桑sang 禾he 稻dao 穗sui 秧yang 穀gu "
    "麥mai 黍shu 粟su 豆dou 蔚wei 薇wei 蘅heng 茵yin 莒ju 萊lai 蓬peng 瀛ying 滸hu 溯su "
    "涵han 渥wo 湛zhan 澧li 灃feng 岱dai 嶧yi 崇chong 嶸rong"
)
_SYLLABLES = _TABLE.split()
_TAI = ("臺", "tai")  # a few cities begin with 臺 (written 台 in places), as real ones do

#: Generated events: a year, a place abroad (a reused place) or the host city, a theme, a kind.
EVENT_THEMES = (
    ("低碳城市", "low-carbon-cities", "Low-Carbon Cities"),
    ("綠色交通", "green-transport", "Green Transport"),
    ("城市調適", "urban-adaptation", "Urban Adaptation"),
    ("再生能源", "renewable-energy", "Renewable Energy"),
    ("節能減碳", "energy-saving", "Energy Saving and Carbon Reduction"),
    ("永續發展", "sustainable-development", "Sustainable Development"),
    ("智慧城市", "smart-cities", "Smart Cities"),
    ("氣候韌性", "climate-resilience", "Climate Resilience"),
    ("綠色建築", "green-building", "Green Building"),
    ("碳管理", "carbon-management", "Carbon Management"),
    ("水資源管理", "water-management", "Water Management"),
    ("廢棄物減量", "waste-reduction", "Waste Reduction"),
)
EVENT_KINDS = (
    ("論壇", "forum", "Forum"),
    ("研討會", "seminar", "Seminar"),
    ("高峰會", "summit", "Summit"),
    ("工作坊", "workshop", "Workshop"),
    ("博覽會", "expo", "Expo"),
    ("交流會", "exchange", "Exchange Meeting"),
)


@dataclass(frozen=True)
class CityName:
    """A generated city or county: its names in both languages and its catalog id."""

    id: str
    zh: str  # as the header and the row heading write it: 澄嵐市, 臺楓縣
    stem: str  # 澄嵐: the short form, an alias
    en: str  # Chenglan City
    short_en: str  # Chenglan: an alias
    county: bool

    @property
    def variant(self) -> str:
        """The other spelling of 臺/台 when the name has one, else the name itself."""
        return self.zh.replace("臺", "台")


def _pool(excluded: frozenset[str]) -> list[tuple[str, str]]:
    pool = []
    seen: set[str] = set()
    for entry in _SYLLABLES:
        char, roman = entry[0], entry[1:]
        if char in excluded or char in seen:
            continue
        seen.add(char)
        pool.append((char, roman))
    return pool


def name_capacity(excluded: Iterable[str]) -> int:
    """How many pairs of distinct pool characters there are: more than the names it gives."""
    n = len(_pool(frozenset(excluded)))
    return n * (n - 1)


def city_names(
    count: int, rng: random.Random, *, excluded_chars: Iterable[str], taken: Iterable[str]
) -> list[CityName]:
    """``count`` distinct city names; none uses ``excluded_chars`` or clashes with ``taken``.

    ``taken`` holds ids and normalised names already in the catalog. About half are counties
    (縣), as in the real table, and about one in ten begins with 臺 (at most one per
    character of the pool: a few hundred).
    """
    pool = _pool(frozenset(excluded_chars))
    used = {normalize(t) for t in taken}
    names: list[CityName] = []
    tai_left = len(pool)
    attempts = 0
    while len(names) < count:
        attempts += 1
        if attempts > 100 * count + 10_000:
            raise ValueError(f"the name pool gave only {len(names)} of {count} city names")
        (c2, r2) = pool[rng.randrange(len(pool))]
        if tai_left and rng.random() < 0.1:
            (c1, r1) = _TAI
            tai_left -= 1
        else:
            (c1, r1) = pool[rng.randrange(len(pool))]
        county = rng.random() < 0.5
        if c1 == c2:
            continue
        stem, roman = c1 + c2, r1 + r2
        suffix = "縣" if county else "市"
        en = f"{roman.capitalize()} {'County' if county else 'City'}"
        keys = {normalize(stem), normalize(stem + suffix), roman, normalize(en)}
        if keys & used:
            continue
        used.update(keys)
        names.append(CityName(roman, stem + suffix, stem, en, roman.capitalize(), county))
    return names
