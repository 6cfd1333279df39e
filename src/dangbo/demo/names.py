"""Word lists for synthetic data: Vietnamese personal names, organization and place names.

Everything built from these lists is fictional. Frequencies are rough public estimates
(surnames: Nguyễn about 38%, Trần 11%, Lê 9.5%, ...); they only need to look plausible.
Lists are written as text ("Nguyễn 38.4, Trần 11") so they stay readable.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice, drawn with one ``random()`` call and a bisection."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        total = 0.0
        self.cumulative: list[float] = []
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def words(text: str) -> tuple[str, ...]:
    """ "An, Anh, Bảo" -> ("An", "Anh", "Bảo")."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def weighted(text: str) -> Weighted[str]:
    """ "Thị 34, Thị Thu 6" -> a choice; the weight is the last word of each item."""
    pairs = []
    for item in words(text):
        value, weight = item.rsplit(" ", 1)
        pairs.append((value, float(weight)))
    return Weighted(pairs)


def even(items: Sequence[str], common: Sequence[str] = (), boost: float = 3.0) -> Weighted[str]:
    """Equal weights, with the ``common`` items ``boost`` times as frequent."""
    return Weighted([(item, boost if item in common else 1.0) for item in items])


def ranked(items: Sequence[str]) -> Weighted[str]:
    """The first items the most common (weights 1, 1/2, 1/3, ...)."""
    return Weighted([(item, 1 / (index + 1)) for index, item in enumerate(items)])


# --- People ---------------------------------------------------------------------------------

SURNAMES = weighted(
    "Nguyễn 38.4, Trần 11, Lê 9.5, Phạm 7.1, Huỳnh 3.1, Hoàng 2, Phan 4.5, Võ 2.9, Vũ 1, "
    "Đặng 2.1, Bùi 2, Đỗ 1.4, Hồ 1.3, Ngô 1.3, Dương 1, Lý 0.5, Trương 1.1, Đinh 0.8, Lâm 0.6, "
    "Mai 0.5, Đoàn 0.6, Lưu 0.4, Châu 0.4, Tạ 0.3, Cao 0.5, Tô 0.3, Lương 0.4, Hà 0.4, "
    "Thái 0.3, Quách 0.2, La 0.2, Kiều 0.1, Văn 0.2, Tăng 0.2, Từ 0.1"
)
HOA_SURNAMES = even(
    words("Lâm, Quách, Lý, Trương, Mã, Lưu, Hứa, Tăng, Diệp, Châu, La, Trần"),
    common=("Lâm", "Trương", "Lý"),
)
KHMER_SURNAMES = even(words("Thạch, Sơn, Kim, Danh, Lâm, Châu, Trần"), common=("Thạch",))
CHAM_SURNAMES = even(words("Đàng, Thành, Quảng, Lưu, Hán, Châu, Từ"))

MIDDLE_MALE = weighted(
    "Văn 30, Minh 9, Quốc 6, Thanh 6, Hoàng 5, Hữu 6, Đức 5, Công 4, Ngọc 4, Tấn 4, Trọng 3, "
    "Xuân 2, Đình 3, Quang 3, Anh 2, Thành 2, Hồng 1, Duy 2, Thế 2, Chí 2, Tuấn 1, Nhật 1, "
    "Bảo 1, Gia 1, Văn Minh 1, Hoàng Anh 1, Minh Quốc 0.5"
)
MIDDLE_FEMALE = weighted(
    "Thị 34, Thị Thu 6, Thị Thanh 5, Thị Ngọc 5, Thị Kim 4, Thị Mỹ 3, Thị Hồng 3, Thị Bích 2, "
    "Thị Minh 2, Ngọc 6, Thanh 4, Thu 3, Kim 3, Mỹ 2, Bích 1, Hồng 2, Phương 2, Thùy 2, "
    "Hoàng 1, Minh 2, Diễm 1, Khánh 1, Bảo 1, Quỳnh 1, Thị Thúy 1"
)
GIVEN_MALE = even(
    words(
        "An, Anh, Bảo, Bình, Cường, Công, Dũng, Duy, Dương, Đạt, Định, Đông, Đức, Giang, Hải, "
        "Hào, Hậu, Hiếu, Hiển, Hiệp, Hòa, Hoàng, Hùng, Huy, Hưng, Khang, Khánh, Khoa, Khải, "
        "Kiên, Lâm, Long, Lộc, Lợi, Luân, Minh, Nam, Nghĩa, Nguyên, Nhân, Nhật, Phát, Phong, "
        "Phúc, Phước, Phương, Quang, Quân, Quốc, Sang, Sơn, Tài, Tâm, Tân, Thạch, Thắng, Thanh, "
        "Thành, Thiện, Thịnh, Thông, Thuận, Tiến, Tín, Toàn, Trí, Trung, Trường, Tú, Tuấn, "
        "Tùng, Vinh, Việt, Vũ, Vương, Tường, Hạnh, Lực, Mạnh, Nhựt, Sỹ, Triều"
    ),
    common=words(
        "Anh, Hùng, Minh, Tuấn, Dũng, Hải, Nam, Thành, Phong, Hưng, Long, Cường, Hiếu, Tâm, "
        "Trung, An"
    ),
)
GIVEN_FEMALE = even(
    words(
        "An, Anh, Ánh, Châu, Chi, Diễm, Dung, Duyên, Giang, Hà, Hạnh, Hằng, Hân, Hiền, Hoa, "
        "Hồng, Huệ, Hương, Huyền, Khánh, Lan, Liên, Linh, Loan, Ly, Mai, My, Nga, Ngân, Ngọc, "
        "Nhi, Nhung, Oanh, Phương, Phượng, Quyên, Quỳnh, Tâm, Thảo, Thanh, Thu, Thủy, Thư, "
        "Thúy, Trang, Trâm, Trinh, Tuyết, Uyên, Vân, Vy, Yến, Xuân, Lệ, Nguyệt, Diệp, Đào, Hậu, "
        "Kiều, Mến, Nhàn, Sương, Thoa, Tiên"
    ),
    common=words(
        "Anh, Hương, Linh, Trang, Thảo, Hà, Ngọc, Lan, Mai, Hằng, Phương, Thủy, Dung, Hạnh, "
        "Nhung, Vân, Yến, An"
    ),
)

# Ethnicity codes of data/ethnic-groups.csv with a share plausible for the south:
# Kinh, Hoa, Khơ-me, Chăm, Tày, Mường, Nùng, Thái, Ê-đê, Sán Dìu, Dao.
ETHNICITIES = weighted(
    "01 91.6, 04 5, 05 1.2, 17 0.4, 02 0.5, 06 0.4, 07 0.5, 03 0.2, 12 0.1, 18 0.05, 09 0.05"
)

# Citizen ID prefixes (province of birth registration) of people working away from home.
BIRTH_PROVINCES = weighted(
    "001 2, 036 1.2, 034 1.2, 031 0.6, 030 0.6, 033 0.5, 037 0.5, 035 0.4, 038 1.5, 040 2, "
    "042 1.2, 044 0.8, 045 0.8, 046 1, 048 0.5, 049 2, 051 2.5, 052 2, 054 1, 056 0.8, "
    "058 0.4, 060 1, 064 0.3, 066 0.5, 068 0.6, 070 0.5, 072 1.2, 074 1.2, 075 2, 077 1, "
    "079 4, 080 3, 082 3, 083 2.5, 084 1.2, 086 1.5, 087 1.5, 089 1.5, 091 1, 092 1.2, "
    "093 0.5, 094 0.8, 095 0.5, 096 0.6, 019 0.3, 022 0.3, 025 0.3, 027 0.3"
)

HCMC_DISTRICTS = words(
    "Quận 1, Quận 3, Quận 4, Quận 5, Quận 6, Quận 7, Quận 8, Quận 10, Quận 11, Quận 12, "
    "Quận Bình Thạnh, Quận Gò Vấp, Quận Phú Nhuận, Quận Tân Bình, Quận Tân Phú, "
    "Quận Bình Tân, Thành phố Thủ Đức, Huyện Bình Chánh, Huyện Hóc Môn, Huyện Nhà Bè, "
    "Huyện Củ Chi"
)

# Syllables for fictional place names (wards, communes, schools, companies).
PLACE_SYLLABLES = words(
    "An, Bình, Phú, Tân, Long, Thạnh, Hòa, Đông, Tây, Nhơn, Phước, Hiệp, Thới, Lợi, Mỹ, Hưng, "
    "Thuận, Trung, Khánh, Lộc, Thọ, Hội, Vĩnh, Xuân, Hạnh, Nghĩa, Định, Quới, Thắng, Thành, "
    "Phong, Điền"
)


def place_name(rng: random.Random) -> str:
    """A fictional two-syllable place name such as "Tân Thới"."""
    first, second = rng.sample(PLACE_SYLLABLES, 2)
    return f"{first} {second}"


# --- Organizations of the demo bloc committee -----------------------------------------------


def _table(text: str) -> tuple[tuple[str, str, str, float], ...]:
    rows = []
    for line in text.strip().splitlines():
        workplace, group, statistics_type, size = (part.strip() for part in line.split("|"))
        rows.append((workplace, group, statistics_type, float(size)))
    return tuple(rows)


# Workplace | functional group | statistics type | relative size (a weight for its members;
# 30 members or more make a grassroots committee with branches). Names are invented or generic.
DEMO_WORKPLACES = _table("""
Văn phòng Thành ủy | party_advisory | agency | 240
Ban Tổ chức Thành ủy | party_advisory | agency | 95
Ban Tuyên giáo Thành ủy | party_advisory | agency | 85
Ủy ban Kiểm tra Thành ủy | party_advisory | agency | 80
Ban Dân vận Thành ủy | party_advisory | agency | 55
Cơ quan Đảng ủy Khối | party_advisory | agency | 26
Trường Chính trị Thành phố | party_advisory | public_service | 150
Ban Bảo vệ, chăm sóc sức khỏe cán bộ Thành phố | party_advisory | public_service | 130
Nhà khách Thành ủy | party_advisory | public_service | 24
Ban Nghiên cứu Lịch sử Đảng bộ Thành phố | party_advisory | public_service | 18
Trung tâm Lưu trữ Thành ủy | party_advisory | public_service | 16
Viện Nghiên cứu phát triển Thành phố | party_advisory | public_service | 85
Văn phòng Ủy ban nhân dân Thành phố | state_management | agency | 210
Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân Thành phố | state_management | agency | 75
Sở Nội vụ | state_management | agency | 150
Sở Kế hoạch và Đầu tư | state_management | agency | 140
Sở Tài chính | state_management | agency | 150
Sở Ngoại vụ | state_management | agency | 60
Sở Thông tin và Truyền thông | state_management | agency | 85
Ban Thi đua – Khen thưởng Thành phố | state_management | agency | 32
Ban Tôn giáo Thành phố | state_management | agency | 26
Ban Dân tộc Thành phố | state_management | agency | 24
Cục Thống kê Thành phố | state_management | agency | 110
Kho bạc Nhà nước Thành phố | state_management | agency | 170
Ban Quản lý Khu Công nghệ cao | state_management | agency | 90
Trường Cán bộ Thành phố | state_management | public_service | 70
Trung tâm Xúc tiến Thương mại và Đầu tư Thành phố | state_management | public_service | 48
Trung tâm Dịch vụ việc làm Thành phố | state_management | public_service | 40
Trung tâm Công báo – Tin học | state_management | public_service | 20
Quỹ Phát triển nhà ở Thành phố | state_management | state_enterprise | 22
Viện Kiểm sát nhân dân Thành phố | internal_affairs | agency | 290
Tòa án nhân dân Thành phố | internal_affairs | agency | 280
Cục Thi hành án dân sự Thành phố | internal_affairs | agency | 260
Thanh tra Thành phố | internal_affairs | agency | 95
Sở Tư pháp | internal_affairs | agency | 110
Ban Nội chính Thành ủy | internal_affairs | agency | 42
Phòng Cảnh sát Quản lý hành chính về trật tự xã hội – Công an Thành phố | internal_affairs \
| armed_forces | 120
Phòng Hồ sơ – Công an Thành phố | internal_affairs | armed_forces | 75
Đoàn Luật sư Thành phố | internal_affairs | other | 55
Phòng Công chứng số 1 | internal_affairs | public_service | 20
Trung tâm Trợ giúp pháp lý nhà nước Thành phố | internal_affairs | public_service | 22
Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố | mass_mobilization | agency | 80
Thành Đoàn | mass_mobilization | agency | 175
Hội Liên hiệp Phụ nữ Thành phố | mass_mobilization | agency | 90
Hội Nông dân Thành phố | mass_mobilization | agency | 45
Hội Cựu chiến binh Thành phố | mass_mobilization | agency | 34
Liên đoàn Lao động Thành phố | mass_mobilization | agency | 200
Liên hiệp các Hội Khoa học và Kỹ thuật Thành phố | mass_mobilization | other | 40
Liên hiệp các tổ chức hữu nghị Thành phố | mass_mobilization | other | 28
Hội Chữ thập đỏ Thành phố | mass_mobilization | other | 25
Liên hiệp các Hội Văn học nghệ thuật Thành phố | mass_mobilization | other | 30
Hội Luật gia Thành phố | mass_mobilization | other | 15
Hội Khuyến học Thành phố | mass_mobilization | other | 12
Nhà Văn hóa Thanh niên Thành phố | mass_mobilization | public_service | 70
Nhà Văn hóa Phụ nữ Thành phố | mass_mobilization | public_service | 34
Cung Văn hóa Lao động Thành phố | mass_mobilization | public_service | 40
Nhà Thiếu nhi Thành phố | mass_mobilization | public_service | 55
Trung tâm Hỗ trợ thanh niên công nhân | mass_mobilization | public_service | 18
Đài Truyền hình Thành phố | press | public_service | 680
Đài Tiếng nói Nhân dân Thành phố | press | public_service | 300
Báo Sài Gòn Ngày Mới | press | public_service | 340
Báo Lao Động Phương Nam | press | public_service | 220
Báo Tuổi Xanh | press | public_service | 260
Báo Thanh Niên Thành phố | press | public_service | 230
Báo Phụ nữ Thành phố | press | public_service | 90
Báo Pháp luật Thành phố | press | public_service | 70
Nhà xuất bản Tổng hợp Thành phố | press | public_service | 60
Nhà xuất bản Trẻ Phương Nam | press | state_enterprise | 80
Nhà xuất bản Văn hóa – Văn nghệ | press | public_service | 28
""")

# Non-members per member, by functional group: advisory bodies are mostly members,
# newsrooms and public service units employ many non-members.
STAFF_RATIO = {
    "party_advisory": 1.35,
    "state_management": 2.3,
    "internal_affairs": 1.8,
    "mass_mobilization": 2.0,
    "press": 3.3,
    "": 2.4,
}

# Branch departments by the kind of workplace, found by a word in the workplace's name:
# "keyword, keyword" -> "department, department". The first match wins.
_BRANCH_UNITS = {
    "Trường Chính trị, Trường Cán bộ": (
        "Khoa Xây dựng Đảng, Khoa Lý luận cơ sở, Khoa Nhà nước và Pháp luật, Khoa Dân vận, "
        "Phòng Đào tạo, Phòng Quản lý khoa học, Phòng Tổ chức – Hành chính, Thư viện"
    ),
    "Trường": (
        "Tổ Toán – Tin, Tổ Ngữ văn, Tổ Ngoại ngữ, Tổ Khoa học tự nhiên, Tổ Khoa học xã hội, "
        "Tổ Văn phòng, Tổ Thể dục – Quốc phòng"
    ),
    "Bệnh viện, chăm sóc sức khỏe, Trạm Y tế": (
        "Khoa Nội, Khoa Ngoại, Khoa Khám bệnh, Khoa Dược, Khoa Xét nghiệm, Phòng Điều dưỡng, "
        "Phòng Kế hoạch tổng hợp, Phòng Tổ chức – Hành chính, Khoa Cấp cứu, Khoa Nhi"
    ),
    "Tòa án": (
        "Tòa Hình sự, Tòa Dân sự, Tòa Hành chính, Tòa Kinh tế, Tòa Lao động, "
        "Tòa Gia đình và người chưa thành niên, Văn phòng, Phòng Giám đốc kiểm tra, "
        "Phòng Tổ chức cán bộ"
    ),
    "Viện Kiểm sát": (
        "Phòng Kiểm sát án hình sự, Phòng Kiểm sát điều tra, Phòng Kiểm sát án dân sự, "
        "Phòng Kiểm sát án hành chính, Phòng Kiểm sát thi hành án, Văn phòng, "
        "Phòng Thống kê tội phạm, Phòng Tổ chức cán bộ"
    ),
    "Thi hành án": (
        "Chi cục Thi hành án dân sự Quận 1, Chi cục Thi hành án dân sự Quận 3, "
        "Chi cục Thi hành án dân sự Quận 5, Chi cục Thi hành án dân sự Quận 10, "
        "Chi cục Thi hành án dân sự Quận Bình Thạnh, Chi cục Thi hành án dân sự Quận Gò Vấp, "
        "Chi cục Thi hành án dân sự Quận Tân Bình, Chi cục Thi hành án dân sự Huyện Bình Chánh, "
        "Văn phòng Cục, Phòng Nghiệp vụ và tổ chức thi hành án"
    ),
    "Công an": (
        "Đội Quản lý cư trú, Đội Hồ sơ nghiệp vụ, Đội Tham mưu, Đội Cảnh sát khu vực, "
        "Đội Tổng hợp, Đội Quản lý ngành nghề kinh doanh có điều kiện"
    ),
    "Báo, Đài, Tạp chí": (
        "Ban Thời sự, Ban Kinh tế, Ban Văn hóa – Văn nghệ, Ban Thể thao, Ban Bạn đọc, "
        "Ban Điện tử, Ban Thư ký tòa soạn, Ban Chuyên đề, Trung tâm Kỹ thuật, Phòng Quảng cáo, "
        "Phòng Phát hành, Ban Phóng sự – Tài liệu, Ban Khoa giáo, "
        "Trung tâm Sản xuất chương trình, Ban Quốc tế, Ban Chính trị – Xã hội, "
        "Phòng Tổ chức – Hành chính, Trung tâm Tin học, Ban Ảnh, Ban Đời sống, Ban Biên tập, "
        "Ban Pháp luật"
    ),
    "Nhà xuất bản": (
        "Phòng Biên tập, Phòng Phát hành, Phòng Kế hoạch – Tổng hợp, Phòng Mỹ thuật, "
        "Phòng Chế bản, Ban Biên tập sách, Phòng Tổ chức – Hành chính"
    ),
    "Nhà Văn hóa, Cung Văn hóa, Nhà Thiếu nhi, Nhà khách": (
        "Phòng Hoạt động, Phòng Nghệ thuật, Phòng Tổ chức – Hành chính, Phòng Kế toán, "
        "Phòng Dịch vụ, Phòng Thể dục thể thao, Phòng Năng khiếu"
    ),
    "Hội, Thành Đoàn, Liên đoàn, Liên hiệp, Mặt trận": (
        "Văn phòng, Ban Tổ chức, Ban Tuyên giáo, Ban Chính sách – Pháp luật, Ban Phong trào, "
        "Ban Kinh tế, Ban Gia đình – Xã hội, Ban Thanh niên trường học, Ban Công nhân lao động, "
        "Ban Dân chủ – Pháp luật, Phòng Tài chính, Trung tâm Tư vấn pháp luật, "
        "Ban Quan hệ quốc tế"
    ),
    "Công ty, Hợp tác xã": (
        "Phòng Kinh doanh, Phòng Kỹ thuật, Phân xưởng 1, Phân xưởng 2, Phòng Kế toán, "
        "Phòng Tổ chức – Hành chính, Phòng Kế hoạch – Đầu tư, Tổ Bảo trì"
    ),
}
_OFFICE_UNITS = words(
    "Văn phòng, Phòng Tổ chức – Cán bộ, Phòng Kế hoạch – Tài chính, Phòng Tổng hợp, "
    "Phòng Pháp chế, Phòng Thanh tra, Phòng Hành chính – Quản trị, Phòng Công nghệ thông tin, "
    "Phòng Kinh tế, Phòng Văn hóa – Xã hội, Phòng Nghiên cứu, Phòng Đăng ký kinh doanh, "
    "Phòng Quản lý ngân sách, Phòng Đầu tư, Phòng Kiểm tra, Phòng Kiểm soát chi, "
    "Phòng Kế toán nhà nước, Phòng Thống kê tổng hợp, Phòng Tổ chức cơ sở đảng, "
    "Phòng Bảo vệ chính trị nội bộ, Phòng Thông tin – Tư liệu"
)

# Job titles by the kind of workplace, the most common first.
_POSITIONS = {
    "Tòa án": "Thẩm phán, Thư ký tòa án, Thẩm tra viên, Chuyên viên",
    "Viện Kiểm sát": "Kiểm sát viên, Kiểm tra viên, Chuyên viên",
    "Thi hành án": "Chấp hành viên, Thẩm tra viên, Thư ký thi hành án",
    "Thanh tra": "Thanh tra viên, Thanh tra viên chính, Chuyên viên",
    "Công an, Quân sự": "Cán bộ, Trinh sát viên, Cảnh sát khu vực",
    "Luật sư, Công chứng, Trợ giúp pháp lý": (
        "Luật sư, Công chứng viên, Trợ giúp viên pháp lý, Nhân viên"
    ),
    "Báo, Đài, Tạp chí": (
        "Phóng viên, Biên tập viên, Nhân viên, Kỹ thuật viên, Quay phim, Thư ký tòa soạn, Họa sĩ"
    ),
    "Nhà xuất bản": "Biên tập viên, Họa sĩ, Nhân viên, Kế toán",
    "Trường": "Giảng viên, Giáo viên, Nhân viên, Chuyên viên",
    "Bệnh viện, sức khỏe, Y tế": "Bác sĩ, Điều dưỡng, Dược sĩ, Kỹ thuật viên",
    "Công ty, Hợp tác xã, Quỹ": "Nhân viên, Kỹ sư, Công nhân, Kế toán",
    "Khu phố, Ấp": "Nhân viên, Công nhân, Tiểu thương, Kỹ sư",
}
_OFFICE_POSITIONS = (
    "Chuyên viên, Chuyên viên chính, Nhân viên, Kế toán viên, Văn thư, Cán sự, Lái xe"
)
LEADER_POSITIONS = words("Trưởng phòng, Phó Trưởng phòng, Phó Trưởng ban, Trưởng ban, Phó Giám đốc")


def _matching(table: dict[str, str], workplace: str, default: str) -> tuple[str, ...]:
    for keywords, values in table.items():
        if any(keyword in workplace for keyword in words(keywords)):
            return words(values)
    return words(default)


def branch_departments(workplace: str) -> tuple[str, ...]:
    """The departments that plausibly have a branch in this workplace."""
    return _matching(_BRANCH_UNITS, workplace, ", ".join(_OFFICE_UNITS))


def positions_for(workplace: str) -> Weighted[str]:
    """Job titles that fit the workplace, the first ones the most common."""
    return ranked(_matching(_POSITIONS, workplace, _OFFICE_POSITIONS))


OCCUPATIONS = {
    "agency": "Công chức",
    "public_service": "Viên chức",
    "armed_forces": "Sĩ quan",
    "state_enterprise": "Người lao động",
    "private_enterprise": "Người lao động",
    "foreign_enterprise": "Người lao động",
    "commune_ward": "Cán bộ, công chức cấp xã",
    "other": "Người lao động",
}

# --- Generated organizations at city and national scale --------------------------------------

# Template | statistics type | relative size: "{p}" a fictional place name, "{n}" a number,
# "{w}" the ward or commune of the committee above.
WARD_WORKPLACES = tuple(
    (template, statistics_type, size)
    for template, _, statistics_type, size in _table("""
Khu phố {n} | | commune_ward | 1.0
Ấp {n} | | commune_ward | 0.8
Cơ quan Ủy ban nhân dân {w} | | agency | 1.5
Công an {w} | | armed_forces | 1.3
Ban Chỉ huy Quân sự {w} | | armed_forces | 0.6
Trạm Y tế {w} | | public_service | 0.4
Trường Tiểu học {p} | | public_service | 0.7
Trường Trung học cơ sở {p} | | public_service | 1.0
Trường Trung học phổ thông {p} | | public_service | 2.0
Trường Mầm non {p} | | public_service | 0.5
Bệnh viện {p} | | public_service | 4.0
Công ty TNHH {p} | | private_enterprise | 0.6
Công ty Cổ phần {p} | | state_enterprise | 2.0
Hợp tác xã {p} | | private_enterprise | 0.3
Công ty TNHH Một thành viên {p} | | state_enterprise | 3.0
Công ty TNHH {p} Việt Nam | | foreign_enterprise | 1.2
""")
)

UPPER_AGENCY_NAMES = words(
    "Đảng bộ các cơ quan Đảng Thành phố, Đảng bộ Ủy ban nhân dân Thành phố, "
    "Đảng bộ Công an Thành phố, Đảng bộ Quân sự Thành phố, Đảng bộ Khối Doanh nghiệp Thành phố"
)

# The 34 provinces from 7/2025: name, record-number letters, citizen ID prefix of its centre.
PROVINCES_2025 = tuple(
    (name.strip(), letters.strip(), prefix.strip())
    for name, letters, prefix in (
        line.split("|")
        for line in """
Thành phố Hà Nội | HNI | 001
Thành phố Huế | HUE | 046
Tỉnh Lai Châu | LCU | 012
Tỉnh Điện Biên | DBN | 011
Tỉnh Sơn La | SLA | 014
Tỉnh Lạng Sơn | LSN | 020
Tỉnh Quảng Ninh | QNH | 022
Tỉnh Thanh Hóa | THA | 038
Tỉnh Nghệ An | NAN | 040
Tỉnh Hà Tĩnh | HTH | 042
Tỉnh Cao Bằng | CBG | 004
Tỉnh Tuyên Quang | TQG | 008
Tỉnh Lào Cai | LCI | 010
Tỉnh Thái Nguyên | TNN | 019
Tỉnh Phú Thọ | PTO | 025
Tỉnh Bắc Ninh | BNH | 027
Tỉnh Hưng Yên | HYN | 033
Thành phố Hải Phòng | HPG | 031
Tỉnh Ninh Bình | NBH | 037
Tỉnh Quảng Trị | QTI | 045
Thành phố Đà Nẵng | DNG | 048
Tỉnh Quảng Ngãi | QNI | 051
Tỉnh Gia Lai | GLI | 064
Tỉnh Khánh Hòa | KHA | 056
Tỉnh Lâm Đồng | LDG | 068
Tỉnh Đắk Lắk | DLK | 066
Thành phố Hồ Chí Minh | HCM | 079
Tỉnh Đồng Nai | DNI | 075
Tỉnh Tây Ninh | TNH | 072
Thành phố Cần Thơ | CTO | 092
Tỉnh Vĩnh Long | VLG | 086
Tỉnh Đồng Tháp | DTP | 087
Tỉnh Cà Mau | CMU | 096
Tỉnh An Giang | AGG | 089
""".strip().splitlines()
    )
)
