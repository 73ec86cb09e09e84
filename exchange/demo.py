"""`exchange demo`: a deterministic, realistic demo — users per role and region, seekers with
valid resident IDs born in the sending county, vetted employers with valid credit codes and
postings like those of seed document 003 (manufacturing, agriculture, services).

Safe to run twice: every object has a stable key (username, ID number, credit code, ref)."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select
from stdnum.cn import ric, uscc

from exchange.accounts.models import User
from exchange.accounts.roles import (ADMIN, AUDITOR, FINANCE_APPROVER, LIAISON_OFFICER, RECEIVING_STAFF, ROLE_LABELS,
                                     SENDING_STAFF)
from exchange.accounts.service import create_user
from exchange.employers.models import APPROVED, PENDING, REJECTED, Employer, Posting
from exchange.extensions import db
from exchange.occupations.taxonomy import taxonomy
from exchange.registry.models import Household, Seeker
from exchange.registry.rows import clean_seeker
from exchange.registry.service import seeker_columns

NAMESPACE = uuid.UUID("6b1f0c52-3a4e-4d8b-9a21-5c0d7e8f9a10")
# Birth years are anchored here, not to today, so the same person keeps the same ID number.
BIRTH_ANCHOR = date(2026, 1, 1)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林志国建文兵成东海"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华慧巧美娅雪琳玲燕红梅兰凤琴云莲桂萍"

TOWNSHIPS = {
    "510524": ["叙永镇", "江门镇", "马岭镇", "水尾镇", "赤水镇", "后山镇", "摩尼镇", "两河镇", "观兴镇", "落卜镇", "天池镇", "正东镇"],
    "451228": ["安阳镇", "高岭镇", "地苏镇", "下坳镇", "保安乡", "拉烈镇", "百旺镇", "大兴镇"],
    "610926": ["城关镇", "长安镇", "老县镇", "大贵镇", "洛河镇", "广佛镇", "八仙镇", "三阳镇"],
    "469030": ["营根镇", "湾岭镇", "黎母山镇", "和平镇", "长征镇", "红毛镇", "中平镇"],
    "451027": ["泗城镇", "逻楼镇", "加尤镇", "下甲镇", "伶站瑶族乡", "朝里瑶族乡"],
}
# The sending counties' own workplaces (就地就近就业), for the programmes that pay them: names in
# the manner of the seeds' examples (seed 001: 平利县's community factories, 茶叶 bases).
LOCAL_EMPLOYERS = {
    "610926": [("平利县长安镇毛绒玩具社区工厂", "workshop"), ("平利县女娲茶叶就业扶贫基地", "base"),
               ("平利县老县镇人民政府（乡村公益性岗位）", "public_post")],
    "469030": [("琼中黎锦就业帮扶车间", "workshop"), ("琼中绿橙种植就业帮扶基地", "base")],
    "451027": [("凌云县泗城镇就业扶贫车间", "workshop"), ("凌云县浪伏茶业有限公司", "enterprise")],
}
SKILLS = ["电焊", "叉车", "缝纫", "电工", "驾驶", "烹饪", "砌筑", "采茶", "电子装配", "计算机操作", "育婴", "养殖"]
OCCUPATIONS = ["电子装配工", "普工", "操作工", "缝纫工", "造纸工", "注塑工", "采茶工", "采摘工", "保洁员", "保安员",
               "餐厅服务员", "厨师", "叉车司机", "焊工", "家政服务员", "建筑工"]


@dataclass(frozen=True)
class PostingIdea:
    title: str
    occupation: str
    wage: tuple[int, int]
    work_type: str = "long_term"
    gender: str = "any"
    ages: tuple[int, int] = (18, 50)
    education: str = "primary"
    skills: tuple[str, ...] = ()
    housing: bool = True
    meals: bool = True
    months: int = 12
    interview: str = "remote"


POSTINGS = [
    PostingIdea("电子装配工", "电子装配工", (4500, 6000), ages=(18, 45), education="junior"),
    PostingIdea("流水线普工", "普工", (4200, 5500), ages=(18, 50)),
    PostingIdea("特种纸生产操作工", "造纸工", (5000, 6500), gender="M", ages=(20, 50), education="junior"),
    PostingIdea("服装缝纫工", "缝纫工", (4500, 7000), ages=(18, 50), skills=("缝纫",)),
    PostingIdea("注塑操作工", "注塑工", (4800, 6000), ages=(18, 45)),
    PostingIdea("叉车司机", "叉车司机", (5500, 7000), gender="M", ages=(22, 50), skills=("叉车",), interview="onsite"),
    PostingIdea("电焊工", "焊工", (6000, 8000), gender="M", ages=(20, 55), skills=("电焊",), interview="onsite"),
    PostingIdea("茶叶采摘工（季节性）", "采茶工", (3500, 4500), work_type="seasonal", ages=(18, 60), months=3, meals=True),
    PostingIdea("柑橘采摘工（季节性）", "采摘工", (3600, 4800), work_type="seasonal", ages=(18, 60), months=2),
    PostingIdea("酒店保洁员", "保洁员", (3500, 4200), gender="F", ages=(25, 55)),
    PostingIdea("厂区保安", "保安员", (4000, 5000), gender="M", ages=(22, 55), education="junior"),
    PostingIdea("餐厅服务员", "餐厅服务员", (3800, 4800), ages=(18, 40), education="junior"),
    PostingIdea("食品厂包装工", "食品包装工", (4000, 5000), ages=(18, 50)),
    PostingIdea("养老护理员", "养老护理员", (4500, 6000), gender="F", ages=(25, 55), education="junior", interview="onsite"),
]

EMPLOYERS = {
    "330825": ["龙游恒达特种纸有限公司", "龙游锦程电子科技有限公司", "衢州瑞丰服饰有限公司", "龙游新亚塑业有限公司",
               "浙江龙游金鑫机械制造有限公司", "龙游溪口茶业专业合作社", "龙游县绿源柑橘专业合作社", "龙游城南大酒店有限公司",
               "龙游安顺物业服务有限公司", "龙游味之源食品有限公司", "龙游康宁养老服务中心", "龙游宏远物流有限公司"],
    "440309": ["深圳龙华创新电子有限公司", "深圳华鑫精密五金有限公司", "深圳美雅服装有限公司", "深圳龙华众安物业管理有限公司",
               "深圳龙华好味食品有限公司", "深圳龙华顺达物流有限公司"],
}


def stable_ref(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def make_national_id(prefix: str, born: date, order: int) -> str:
    body = f"{prefix}{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(region: str, serial: int) -> str:
    """18 characters: 9 (registered with SAMR), 1 (enterprise), the region, an organisation code
    with its own GB 11714 check character, and the USCC check character."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    org = f"MA{serial:06d}"
    total = sum(alphabet.index(ch) * w for ch, w in zip(org, (3, 7, 9, 10, 5, 8, 4, 2)))
    check = 11 - total % 11
    org += "0" if check == 11 else "X" if check == 10 else str(check)
    body = f"91{region}{org}"
    return body + uscc.calc_check_digit(body + "0")


def _side_name(pairing, side: str) -> str:
    first, _, second = pairing.id.partition("-")
    return first if side == "sending" else (second or first)


def demo_users(pairings, settings) -> list[tuple[str, str, str, str]]:
    """(username, password, role, region) for one user per role per hosted region, plus a second
    staff member and finance approver where maker-checker needs two people."""
    wanted: dict[str, tuple[str, str, str, str]] = {}
    for pairing in pairings:
        for side in ("sending", "receiving"):
            region = pairing.region(side).code
            if not settings.hosts(region):
                continue
            prefix = _side_name(pairing, side)
            roles = ([SENDING_STAFF, SENDING_STAFF, LIAISON_OFFICER] if side == "sending" else [RECEIVING_STAFF, RECEIVING_STAFF])
            roles += [FINANCE_APPROVER, FINANCE_APPROVER, ADMIN, AUDITOR]
            counts: dict[str, int] = {}
            for role in roles:
                counts[role] = counts.get(role, 0) + 1
                short = {SENDING_STAFF: "staff", RECEIVING_STAFF: "staff", LIAISON_OFFICER: "liaison",
                         FINANCE_APPROVER: "finance", ADMIN: "admin", AUDITOR: "auditor"}[role]
                username = f"{prefix}.{short}{counts[role] if counts[role] > 1 else ''}"
                wanted.setdefault(username, (username, demo_password(username), role, region))
    return list(wanted.values())


def demo_password(username: str) -> str:
    """xuyong.staff → staff-of-xuyong-2026: easy to type from the printed list, and within the
    password policy (it does not contain the user name)."""
    place, _, job = username.partition(".")
    return f"{job}-of-{place}-2026"


def _anchor(today: date) -> date:
    """The first day of next month: postings start there, so the demo never looks stale."""
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def load_demo(ctx) -> str:
    rt = ctx
    lines = ["Demo logins (username / password / role / region):"]
    created_users = 0
    for username, password, role, region in demo_users(rt.pairings, rt.settings):
        if db.session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(ctx, username=username, password=password, role=role, region=region)
            created_users += 1
        lines.append(f"  {username:<20} {password:<28} {ROLE_LABELS[role]:<10} {region}")

    seekers = employers = postings = 0
    for pairing in rt.pairings:
        if rt.settings.hosts(pairing.sending.code):
            seekers += _demo_seekers(ctx, pairing.sending.code, 300 if pairing.id == "xuyong-longyou" else 80)
        if rt.settings.hosts(pairing.receiving.code):
            e, p = _demo_employers(ctx, pairing.receiving.code)
            employers, postings = employers + e, postings + p
    for pairing in rt.pairings:
        if rt.settings.hosts(pairing.sending.code) and pairing.sending.code in LOCAL_EMPLOYERS:
            employers += _demo_local_jobs(ctx, pairing)
    db.session.commit()
    lines.insert(0, f"demo: {created_users} users, {seekers} seekers, {employers} employers, {postings} postings added")
    lines.append("Open http://127.0.0.1:5000 and log in; API docs at http://127.0.0.1:5000/api/v1/docs")
    return "\n".join(lines)


# The banks a county's 惠民惠农 payments usually go through.
BANKS = ("中国农业银行", "农村信用合作联社", "中国邮政储蓄银行", "中国建设银行", "中国工商银行")


def _demo_seekers(ctx, region: str, count: int) -> int:
    rng = random.Random(f"seekers-{region}")
    today, cipher = ctx.clock.today(), ctx.cipher
    staff = db.session.scalar(select(User.id).where(User.region == region, User.role == SENDING_STAFF).order_by(User.id))
    # Before 2002 河池地区 was 4527xx: older cards keep the old code (a warning, not an error).
    old_prefix = {"451228": "452728"}.get(region)
    rows, hashes = [], []
    anchor = _anchor(today)
    households = _demo_households(region, count)
    for index in range(count):
        male = rng.random() < 0.62          # seed 003: 63% of labourers were men
        age = rng.choice([rng.randint(18, 35), rng.randint(36, 55), rng.randint(40, 55)])
        born = BIRTH_ANCHOR - timedelta(days=age * 365 + rng.randint(0, 364))
        prefix = old_prefix if old_prefix and born.year < 2002 else region
        order = rng.randrange(0, 500) * 2 + (1 if male else 0)
        national_id = make_national_id(prefix, born, order)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
                                              for _ in range(rng.choice((1, 2, 2))))
        wanted = rng.sample(OCCUPATIONS, rng.choice((1, 1, 2)))
        raw = {
            "name": name, "national_id": national_id, "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            "gender": "M" if male else "F",
            "education": rng.choices(["primary", "junior", "senior", "college"], [30, 45, 20, 5])[0],
            "skills": rng.sample(SKILLS, rng.choice((0, 1, 1, 2))), "occupations_wanted": wanted,
            "wage_expectation_fen": rng.choice((3500, 4000, 4500, 5000, 5500, 6000)) * 100,
            "work_type": "seasonal" if rng.random() < 0.15 else "long_term",
            "available_from": anchor + timedelta(days=rng.randint(-20, 20)),
            "household_status": rng.choices(["registered_poor", "monitored", "other"], [55, 15, 30])[0],
            "consent_to_share": rng.random() < 0.92, "township": rng.choice(TOWNSHIPS.get(region, ["城关镇"])),
            "emergency_contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN_MALE + GIVEN_FEMALE),
            "emergency_contact_phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        }
        # Bank details from their own generator, so the people above stay who they were.
        bank = random.Random(f"bank-{national_id}")
        if bank.random() < 0.75:
            raw["bank_name"] = bank.choice(BANKS)
            raw["bank_account"] = "6" + "".join(str(bank.randrange(10)) for _ in range(18))
        household = households[index]
        if household["first"] != index:        # one household, one village: the first member's
            raw["township"] = rows[household["first"]]["township"]
        raw["household_status"] = rows[household["first"]]["household_status"] if household["first"] != index \
            else raw["household_status"]
        clean = clean_seeker(raw, today)
        columns = seeker_columns(clean, cipher, region=region, created_by=staff, now=ctx.clock.now())
        columns["household_id"] = _household_id(region, household, columns, staff, ctx.clock.now())
        columns["ref"] = stable_ref("seeker", national_id)
        rows.append(columns)
        hashes.append(columns["national_id_hash"])
    existing = set(db.session.scalars(select(Seeker.national_id_hash).where(Seeker.national_id_hash.in_(hashes))))
    fresh = [row for row in rows if row["national_id_hash"] not in existing]
    fresh = list({row["national_id_hash"]: row for row in fresh}.values())
    if fresh:
        db.session.execute(insert(Seeker), fresh)
    return len(fresh)


def _demo_households(region: str, count: int) -> list[dict]:
    """Index → its household: sizes of one to three registered members, in the order they come."""
    rng = random.Random(f"households-{region}")
    out: list[dict] = []
    while len(out) < count:
        number = len({id(h) for h in out}) + 1
        household = {"no": f"{region}{number:06d}", "first": len(out), "official": rng.choice(SURNAMES) + rng.choice(
            GIVEN_MALE + GIVEN_FEMALE), "phone": f"139{rng.randrange(10**8):08d}"}
        out.extend([household] * rng.choice((1, 1, 2, 2, 3)))
    return out[:count]


def _household_id(region: str, household: dict, first_member: dict, staff, now) -> int:
    """The household's id, registered with its first member's status and village."""
    found = db.session.scalar(select(Household.id).where(Household.region == region,
                                                         Household.household_no == household["no"]))
    if found is not None:
        return found
    row = Household(region=region, household_no=household["no"], status=first_member["household_status"],
                    township=first_member.get("township"), official_name=household["official"],
                    official_phone=household["phone"], created_by=staff, created_at=now)
    db.session.add(row)
    db.session.flush()
    return row.id


def _demo_local_jobs(ctx, pairing) -> int:
    """The sending county's own workplaces, a few poor labourers in local jobs since some months
    ago, and the daily scan run once: the pairing's programmes for local work show real claims,
    some paid to the workplace."""
    from exchange.employment.models import EmploymentSpell
    from exchange.subsidies.retention import scan
    region, today, now = pairing.sending.code, ctx.clock.today(), ctx.clock.now()
    rng = random.Random(f"local-{region}")
    staff = db.session.scalar(select(User.id).where(User.region == region, User.role == SENDING_STAFF).order_by(User.id))
    made, employers = 0, []
    for serial, (name, kind) in enumerate(LOCAL_EMPLOYERS[region], start=1):
        code = make_uscc(region, 5000 + serial)
        employer = db.session.scalar(select(Employer).where(Employer.region == region, Employer.uscc == code))
        if employer is None:
            employer = Employer(ref=stable_ref("employer", region, code), region=region, name=name, uscc=code, kind=kind,
                                contact_name=rng.choice(SURNAMES) + "主任", contact_phone=f"139{rng.randrange(10**8):08d}",
                                address=next((town for town in TOWNSHIPS[region] if town in name),
                                             TOWNSHIPS[region][serial % len(TOWNSHIPS[region])]), status=APPROVED,
                                vet_reason="经人社部门认定", vetted_by=staff, vetted_at=now, created_by=staff, created_at=now,
                                bank_name="农村信用合作联社" if kind != "public_post" else None,
                                bank_account=f"62170{rng.randrange(10**13):013d}" if kind != "public_post" else None)
            db.session.add(employer)
            db.session.flush()
            made += 1
        employers.append(employer)
    if db.session.scalar(select(EmploymentSpell.id).where(EmploymentSpell.pairing_id == pairing.id,
                                                          EmploymentSpell.region == region).limit(1)) is None:
        poor = list(db.session.scalars(select(Seeker.id).where(Seeker.region == region, Seeker.household_status.in_(
            ("registered_poor", "monitored"))).order_by(Seeker.id).limit(24)))
        for k, seeker_id in enumerate(poor):
            employer = employers[k % len(employers)]
            start = today - timedelta(days=rng.randint(20, 150))
            db.session.add(EmploymentSpell(pairing_id=pairing.id, region=region, seeker_id=seeker_id, employer_id=employer.id,
                                           work_type="long_term", start_date=start, monthly_wage_fen=rng.choice(
                                               (180000, 220000, 260000)), created_at=now))
        db.session.flush()
        scan(ctx, pairing, today - timedelta(days=1), holder="demo")
    return made


def _demo_employers(ctx, region: str) -> tuple[int, int]:
    rng = random.Random(f"employers-{region}")
    today, now = ctx.clock.today(), ctx.clock.now()
    staff = db.session.scalar(select(User.id).where(User.region == region, User.role == RECEIVING_STAFF).order_by(User.id))
    anchor = _anchor(today)
    added_employers = added_postings = 0
    for serial, name in enumerate(EMPLOYERS.get(region, [f"示例用工企业{i}" for i in range(1, 6)]), start=1):
        code = make_uscc(region, serial * 7919 % 999999)
        employer = db.session.scalar(select(Employer).where(Employer.region == region, Employer.uscc == code))
        if employer is None:
            status = REJECTED if serial % 11 == 0 else PENDING if serial % 5 == 0 else APPROVED
            employer = Employer(ref=stable_ref("employer", region, code), region=region, name=name, uscc=code,
                                contact_name=rng.choice(SURNAMES) + "经理", contact_phone=f"0570-{rng.randrange(10**7):07d}",
                                address=f"{name[:2]}经济开发区{rng.randint(1, 99)}号", status=status,
                                vet_reason="资质齐全，劳动合同范本已审核" if status == APPROVED else
                                ("未能提供营业执照原件" if status == REJECTED else None),
                                vetted_by=staff if status != PENDING else None,
                                vetted_at=now if status != PENDING else None, created_by=staff, created_at=now)
            db.session.add(employer)
            db.session.flush()
            added_employers += 1
        if employer.status != APPROVED:
            continue
        for number, idea in enumerate(rng.sample(POSTINGS, 2), start=1):
            ref = stable_ref("posting", region, code, number)
            if db.session.scalar(select(Posting.id).where(Posting.ref == ref)):
                continue
            low, high = idea.wage
            db.session.add(Posting(
                ref=ref, region=region, employer_id=employer.id, title=idea.title, occupation=idea.occupation,
                occupation_code=taxonomy().resolve(idea.occupation), headcount=rng.choice((5, 10, 20, 30)),
                wage_min_fen=low * 100, wage_max_fen=high * 100, req_gender=idea.gender, req_age_min=idea.ages[0],
                req_age_max=idea.ages[1], req_education_min=idea.education, req_skills=list(idea.skills),
                work_type=idea.work_type, location_region=region, address=employer.address, housing=idea.housing,
                meals=idea.meals, contract_months=idea.months, start_date=anchor + timedelta(days=rng.randint(0, 30)),
                interview_mode=idea.interview, status="open", created_by=staff, created_at=now))
            added_postings += 1
    return added_employers, added_postings
