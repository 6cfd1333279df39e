from dangbo.core.text import fold, name_sort_key, search_terms


def test_fold_drops_diacritics_and_d_stroke():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("  ĐẶNG   thị  Ánh ") == "dang thi anh"
    assert fold("Ðoàn") == "doan"  # Icelandic eth, as pasted from some documents


def test_search_terms_split_and_fold():
    assert search_terms("Nguyen  VĂN a") == ["nguyen", "van", "a"]
    assert search_terms("   ") == []


def _sorted(names):
    def key(full):
        parts = full.split(" ")
        return name_sort_key(parts[0], " ".join(parts[1:-1]), parts[-1])

    return sorted(names, key=key)


def test_names_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Anh"]
    assert _sorted(names) == ["Nguyễn Thị An", "Lê Anh", "Trần Văn Bình"]


def test_vietnamese_alphabet_order():
    # a < ă < â, d < đ, o < ô < ơ, u < ư
    names = [
        "X Y Đức",
        "X Y Dung",
        "X Y Ơn",
        "X Y Ôn",
        "X Y On",
        "X Y Ưng",
        "X Y Ung",
        "X Y Ân",
        "X Y Ăn",
        "X Y An",
    ]
    assert _sorted(names) == [
        "X Y An",
        "X Y Ăn",
        "X Y Ân",
        "X Y Dung",
        "X Y Đức",
        "X Y On",
        "X Y Ôn",
        "X Y Ơn",
        "X Y Ung",
        "X Y Ưng",
    ]


def test_tones_break_ties_after_letters():
    names = ["X Y Anh", "X Y Án", "X Y An", "X Y Ạn", "X Y Àn"]
    # letters first (an < anh), then tones: none, huyền, hỏi, ngã, sắc, nặng
    assert _sorted(names) == ["X Y An", "X Y Àn", "X Y Án", "X Y Ạn", "X Y Anh"]


def test_same_given_name_sorts_by_surname_then_middle():
    names = ["Trần Văn An", "Nguyễn Văn An", "Nguyễn Thị An"]
    assert _sorted(names) == ["Nguyễn Thị An", "Nguyễn Văn An", "Trần Văn An"]


def test_sort_key_is_digits_only():
    key = name_sort_key("Nguyễn", "Văn", "Đức")
    assert key.isdigit()
