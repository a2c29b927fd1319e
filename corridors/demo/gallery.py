"""The demo world's galleries and activities: the story's corridors as residents see them.

``load_demo_gallery(street)`` runs after the applications demo and goes through the same
services and upload processing as the pages (pictures are drawn here with Pillow, then
re-encoded by ``common.uploads``). The story's corridors get their own works, activities
and corridor photos; every other active corridor of the street gets at least one
published work and one activity, so no public page a QR code leads to is empty. It is
idempotent: a work, activity or photo that already exists (same group and title or
description) is left alone.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from common.uploads import process_image
from corridors.models import Activity, BuildingGroup, GalleryWork, GroupPhoto, Street, User
from corridors.services.files import group_photo_add
from corridors.services.gallery import (
    activity_create,
    activity_photo_add,
    activity_record_attendance,
    work_create,
    work_hide,
    work_image_add,
    work_publish,
)

Kind = GalleryWork.Kind
AKind = Activity.Kind

CALLIGRAPHY = ("密云小区", "3号", "1单元")
COOKING = ("抚顺路363弄", "7号", "1单元")
PHOTOGRAPHY = ("和平花园", "D座", "全楼")
HERBS = ("抚顺路363弄", "5号", "1单元")

# group -> leader username
LEADERS = {CALLIGRAPHY: "leadermy", COOKING: "leader7", PHOTOGRAPHY: "leaderd", HERBS: "leader"}

# (group, kind, title, text, ingredients, steps, author or "", [(palette, alt text)], publish)
WORKS = [
    (CALLIGRAPHY, Kind.CALLIGRAPHY, "“福”字长卷", "三楼王伯伯用了一个冬天写成的福字，挂在楼道口迎接邻居。", "", "",
     "王伯伯", [("ink", "宣纸上的一个大大的黑色福字，右下角有红色印章")], True),
    (CALLIGRAPHY, Kind.CALLIGRAPHY, "邻里和睦", "楼组书法小组的集体作品。", "", "", "",
     [("ink", "四个黑色毛笔字写在米色宣纸上")], True),
    (CALLIGRAPHY, Kind.PHOTO, "清晨太极", "每天早上七点，楼下空地上的太极晨练。", "", "", "",
     [("green", "绿色草地上几位老人打太极拳的剪影"), ("sky", "晨练后大家在树下合影的剪影")], True),
    (CALLIGRAPHY, Kind.PAINTING, "水墨兰花", "", "", "", "孙秀兰", [("ink", "水墨画的几片兰花叶子")], True),
    (COOKING, Kind.RECIPE, "外婆的红烧肉（独特秘密）",
     "这是五楼李阿姨家传了三代的做法，秘密在最后的那勺冰糖。",
     "五花肉 500克\n冰糖 30克\n生抽 2勺\n老抽 1勺\n黄酒 3勺\n葱、姜 适量",
     "五花肉切块，冷水下锅焯水\n锅里放少许油，小火把冰糖炒成琥珀色\n放入肉块翻炒上色\n加黄酒、生抽、老抽和葱姜，加开水没过肉\n小火炖一小时\n大火收汁，最后再加一小勺冰糖（独特秘密）",
     "李阿姨", [("warm", "一碗红亮的红烧肉放在蓝边瓷碗里")], True),
    (COOKING, Kind.RECIPE, "葱油拌面", "夏天的楼道美食日最受欢迎的一道。",
     "细面 200克\n小葱 一把\n生抽 2勺\n老抽 1勺\n白糖 1小勺",
     "小葱切段，冷油小火熬到焦黄\n加入生抽、老抽和糖煮开成葱油\n面条煮熟沥干，拌上葱油", "",
     [("warm", "一盘拌好葱油的面条，上面撒着焦黄的葱段")], True),
    (COOKING, Kind.RECIPE, "桂花糖藕", "", "莲藕 2节\n糯米 100克\n桂花酱 2勺",
     "糯米塞进藕孔\n加糖煮两小时\n切片浇桂花酱", "",
     [("warm", "切成片的糖藕淋着桂花酱")], False),
    (PHOTOGRAPHY, Kind.PHOTO, "D座的春天", "楼下的樱花开了，摄影小组拍下了这一刻。", "", "", "张怡",
     [("pink", "粉色樱花树下的高楼"), ("sky", "蓝天下的樱花枝")], True),
    (PHOTOGRAPHY, Kind.PHOTO, "楼道新貌", "粉刷后的楼道，墙上挂着居民的作品。", "", "", "",
     [("sky", "明亮的楼道墙面上挂着一排相框")], True),
    (PHOTOGRAPHY, Kind.FABRIC_ART, "布艺靠垫", "", "", "", "",
     [("pink", "一个拼布做的花朵图案靠垫")], True),
    (PHOTOGRAPHY, Kind.PHOTO, "夜景", "", "", "", "", [("night", "夜晚灯光下的小区")], "hide"),
    (HERBS, Kind.PAINTING, "百草园", "孩子们画的楼道百草园。", "", "", "", [("green", "蜡笔画的各种草药和花朵")], True),
]  # fmt: skip

# Corridor photos of the story's corridors (group -> [(palette, alt text)]).
CORRIDOR_PHOTOS = {
    PHOTOGRAPHY: [("sky", "D座一楼大厅，墙上挂着摄影小组拍的照片"), ("pink", "D座电梯厅外新画的樱花壁画")],
    COOKING: [("warm", "7号楼道里的美食日公告栏，贴着各家的菜单"), ("green", "楼道窗台上摆着几盆香葱和薄荷")],
    CALLIGRAPHY: [("ink", "3号楼道墙上挂着一排书法作品"), ("sky", "刷成淡蓝色的楼道和新装的扶手")],
    HERBS: [("green", "5号楼道口的百草园花架"), ("pink", "花架上挂着孩子们写的植物名牌")],
}

# For every other active corridor, one of these (by position), so its page is not empty:
# (kind, title, text, palette, alt text).
EVERY_CORRIDOR_WORKS = [
    (Kind.PHOTO, "楼道里的绿萝", "一楼阿姨养了十年的绿萝，爬满了楼梯扶手。", "green", "楼梯扶手上爬满了绿萝的叶子"),
    (Kind.PAINTING, "孩子画的我们楼", "楼里的小朋友画的自己家。", "sky", "蜡笔画的一栋楼，上面是蓝天白云"),
    (Kind.FABRIC_ART, "过年的窗花", "过年时贴在楼道窗户上的剪纸窗花。", "warm", "楼道窗户上贴着红色的剪纸窗花"),
    (Kind.PHOTO, "楼下的月季", "楼下花坛的月季开了。", "pink", "楼下花坛里盛开的粉色月季"),
    (Kind.CALLIGRAPHY, "“家和”二字", "楼里一位退休老师写给邻居们的。", "ink", "米色宣纸上写着两个黑色毛笔字"),
]
# (kind, title, days from today, hour, description, attendance): one past, one coming.
EVERY_CORRIDOR_ACTIVITIES = [
    (AKind.OTHER, "楼道清洁日", -14, 9, "大家一起擦扶手、清杂物，顺便认识新邻居。", 11),
    (AKind.OTHER, "邻里茶话会", 9, 15, "带一个茶杯来，聊聊楼道里想改变的地方。", None),
]

PALETTES = {
    "ink": ((245, 236, 214), [(30, 30, 30), (40, 40, 40), (180, 30, 30)]),
    "green": ((214, 236, 204), [(60, 140, 60), (30, 100, 50), (240, 200, 60)]),
    "sky": ((200, 225, 250), [(255, 255, 255), (70, 130, 200), (250, 210, 90)]),
    "warm": ((250, 232, 205), [(170, 60, 30), (220, 120, 40), (60, 90, 160)]),
    "pink": ((250, 225, 235), [(230, 120, 160), (120, 80, 60), (90, 150, 90)]),
    "night": ((25, 30, 60), [(250, 220, 120), (200, 200, 230), (120, 120, 180)]),
}


def _activities(now: datetime.datetime):
    """(group, kind, title, starts, hours, place, description, attendance, [(palette, alt)])."""
    today = now.astimezone(timezone.get_current_timezone()).replace(hour=0, minute=0, second=0, microsecond=0)

    def day(offset_days, hour, minute=0):
        return today + datetime.timedelta(days=offset_days, hours=hour, minutes=minute)

    rows = []
    # The cooking corridor's monthly food day: three past ones and the next two.
    for number, months in enumerate((-3, -2, -1, 0, 1), start=1):
        starts = day(30 * months + 10, 17, 30)
        past = starts < now
        rows.append((COOKING, AKind.FOOD_DAY, f"每月美食日（第{number}期）", starts, 2.5, "7号楼下院子",
                     "每家带一道拿手菜，大家一起尝一尝、聊一聊。", 28 + months * 2 if past else None,
                     [("warm", "院子里摆满了各家带来的菜")] if past else []))  # fmt: skip
    rows += [
        (COOKING, AKind.COOKING_CONTEST, "烹饪比赛：家常红烧肉", day(-20, 14), 3, "抚顺路363弄活动室",
         "请带上您家的做法，由邻居们品尝打分。", 35, [("warm", "几张桌子上摆着参赛的红烧肉")]),
        (PHOTOGRAPHY, AKind.PARENT_CHILD_SPORTS, "亲子运动会", day(12, 9), 3, "和平花园中心花园",
         "跳绳、接力跑、两人三足，欢迎大小朋友一起来。", None, []),
        (PHOTOGRAPHY, AKind.PARENT_CHILD_SPORTS, "春季亲子运动会", day(-60, 9), 3, "和平花园中心花园",
         "", 64, [("green", "孩子和家长在草地上接力跑")]),
        (HERBS, AKind.FLOWER_EXCHANGE, "花卉种植交流", day(5, 15), 2, "5号楼道口",
         "带一盆自己种的花草来交换，请园艺师傅讲讲阳台种植。", None, []),
        (CALLIGRAPHY, AKind.MOONCAKE_MAKING, "老人月饼制作", day(20, 14), 2.5, "密云路居委会活动室",
         "社区老人教大家做苏式月饼，做好的月饼送给独居老人。", None, []),
        (CALLIGRAPHY, AKind.OTHER, "太极晨练", day(2, 7), 1, "3号楼前空地", "每周六早上，初学者也欢迎。", None, []),
        (CALLIGRAPHY, AKind.OTHER, "书法交流会", day(-10, 14), 2, "3号楼一楼楼道", "", 15,
         [("ink", "长桌上铺着宣纸，几支毛笔放在笔架上")]),
    ]  # fmt: skip
    return rows


def demo_picture(palette: str, seed: str, size=(800, 600)) -> SimpleUploadedFile:
    """A simple coloured picture with shapes, as a phone would upload it (JPEG)."""
    background, colours = PALETTES[palette]
    rng = random.Random(seed)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    for i in range(7):
        colour = colours[i % len(colours)]
        x, y = rng.randint(0, width - 120), rng.randint(0, height - 120)
        r = rng.randint(40, 160)
        if i % 3 == 0:
            draw.ellipse((x, y, x + r, y + r), fill=colour)
        elif i % 3 == 1:
            draw.rectangle((x, y, x + r * 1.5, y + r * 0.6), fill=colour)
        else:
            draw.line((x, y, x + r * 2, y + r), fill=colour, width=18)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _group(street: Street, path) -> BuildingGroup | None:
    compound, building, name = path
    return (
        BuildingGroup.objects.select_related("building__compound__neighbourhood__street")
        .filter(
            building__compound__neighbourhood__street=street,
            building__compound__name=compound,
            building__name=building,
            name=name,
        )
        .first()
    )


@transaction.atomic
def load_demo_gallery(street: Street) -> None:
    staff = User.objects.filter(username="staff").first()
    groups = {path: _group(street, path) for path in LEADERS}
    leaders = {path: User.objects.filter(username=username).first() for path, username in LEADERS.items()}
    for path, kind, title, text, ingredients, steps, author, pictures, publish in WORKS:
        group, leader = groups[path], leaders[path]
        if group is None or leader is None or GalleryWork.objects.filter(group=group, title=title).exists():
            continue
        (palette, alt), *more = pictures
        work = work_create(
            group=group,
            kind=kind,
            title=title,
            text=text,
            ingredients=ingredients,
            steps=steps,
            author_name=author,
            author_consent=bool(author),
            image=process_image(demo_picture(palette, title)),
            alt_text=alt,
            by=leader,
        )
        for n, (palette, alt) in enumerate(more):
            work_image_add(
                work=work, image=process_image(demo_picture(palette, f"{title}{n}")), alt_text=alt, by=leader
            )
        if publish:
            work = work_publish(work=work, by=leader)
        if publish == "hide" and staff is not None:
            work_hide(work=work, reason="照片里能看清住户的门牌号，请换一张再发布。", by=staff)

    for path, kind, title, starts, hours, place, description, attendance, photos in _activities(timezone.now()):
        group, leader = groups[path], leaders[path]
        if group is None or leader is None:
            continue
        # Dates are relative to today, so the title alone says "already loaded".
        if Activity.objects.filter(group=group, title=title).exists():
            continue
        activity = activity_create(
            group=group,
            kind=kind,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours),
            place=place,
            description=description,
            by=leader,
        )
        if attendance is not None:
            activity_record_attendance(activity=activity, attendance=attendance)
        for n, (palette, alt) in enumerate(photos):
            activity_photo_add(
                activity=activity,
                image=process_image(demo_picture(palette, f"{title}{starts}{n}")),
                alt_text=alt,
                by=leader,
            )

    for path, photos in CORRIDOR_PHOTOS.items():
        group, leader = groups[path], leaders[path]
        if group is None or leader is None:
            continue
        for palette, alt in photos:
            if not GroupPhoto.objects.filter(building_group=group, alt_text=alt).exists():
                group_photo_add(group=group, image=process_image(demo_picture(palette, alt)), alt_text=alt, by=leader)

    if staff is not None:
        _fill_every_corridor(street, staff)


def _fill_every_corridor(street: Street, staff: User) -> None:
    """At least one published work and one activity on every active corridor of the street."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    groups = BuildingGroup.objects.filter(building__compound__neighbourhood__street=street, is_active=True).order_by(
        "building__compound__name", "building__name", "name"
    )
    for position, group in enumerate(groups.select_related("building")):
        if not GalleryWork.objects.filter(group=group, state=GalleryWork.State.PUBLISHED).exists():
            kind, title, text, palette, alt = EVERY_CORRIDOR_WORKS[position % len(EVERY_CORRIDOR_WORKS)]
            work = work_create(
                group=group,
                kind=kind,
                title=title,
                text=text,
                image=process_image(demo_picture(palette, f"{group.pk}{title}", size=(640, 480))),
                alt_text=alt,
                by=staff,
            )
            work_publish(work=work, by=staff)
        if not Activity.objects.filter(group=group).exists():
            kind, title, days, hour, description, attendance = EVERY_CORRIDOR_ACTIVITIES[
                position % len(EVERY_CORRIDOR_ACTIVITIES)
            ]
            starts = today + datetime.timedelta(days=days, hours=hour)
            activity = activity_create(
                group=group,
                kind=kind,
                title=title,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place=f"{group.building.name}楼道口",
                description=description,
                by=staff,
            )
            if attendance is not None:
                activity_record_attendance(activity=activity, attendance=attendance)
