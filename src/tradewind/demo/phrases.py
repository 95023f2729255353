"""What the demo reps write: company notes, timeline entries, follow-ups and reasons lost.

Placeholders are filled per company: {product} / {product_zh}, {contact}, {city}, {port},
{incoterm}, {container}, {qty}, {price}, {pct}, {courier}, {tracking}, {po}, {po2}, {days}, {fair},
{containers}, {lost_reason}. Chinese and English are mixed the way real reps write.
"""

TYPE_ZH = {
    "importer": "进口商",
    "wholesaler": "批发商",
    "retailer": "零售连锁",
    "brand": "品牌商",
    "project": "工程商",
    "trader": "贸易公司",
    "other": "客户",
}

NOTES = (
    "{city}的{type_zh}，主要做{product_zh}。Buyer prefers {incoterm}, ~{containers} cont./year.",
    "Sells to DIY chains and online (Amazon). 价格敏感，MOQ要低。",
    "老板很难约，采购{contact}比较好沟通，一般两天内回邮件。",
    "要求CE + RoHS，说明书和彩盒要本地语言。",
    "海关数据：每年从宁波/深圳进口约{containers}个柜，主要是{product_zh}。",
    "Own brand, looking for OEM factory for {product}. 对质量要求高，价格其次。",
    "付款习惯：30% T/T deposit, 70% before shipment. 信用一般，先不给账期。",
    "Competitor: they also buy from a Vietnam supplier. 我们的优势是交期和包装。",
    "Met at {fair}; {contact} took our catalogue and asked for a video call.",
    "Project buyer — 招标项目多，报价要快，要求5年质保。",
    "Warehouse in {city}; they re-pack and distribute to ~{containers}00 retail shops.",
    "时差大，邮件最好北京时间晚上发（对方上午）。",
)

# Timeline entries by phase, in story order. Each phase is a tuple of steps; a step is a tuple
# of alternatives, one of which is used. An entry reads "kind direction: summary" (a note is
# internal). A timeline uses some steps of each phase, in order, so a sample is never approved
# before it is sent.
ACTIVITIES = {
    "research": (
        (
            "note: Found on Google: website sells {product}. 准备发开发信。",
            "note: 阿里巴巴询盘，只问了价格，信息不全，待筛选。",
        ),
        (
            "note: 海关数据显示他们每年进口约{containers}个柜的{product_zh}，值得开发。",
            "note: Their site shows own-brand {product} — good fit for OEM.",
        ),
        ("note: LinkedIn: purchasing contact is {contact}. 先加好友再发邮件。",),
    ),
    "first": (
        (
            "trade_fair in: {fair}上认识{contact}，留了名片，对{product_zh}感兴趣",
            "email out: 发了开发信，介绍新款{product_zh}",
            "email out: Sent intro email with catalogue and factory video, focus on {product}.",
        ),
        (
            "chat out: WhatsApp 打招呼，发了{product_zh}目录PDF",
            "call out: Called the office; {contact} is travelling until next week.",
        ),
        (
            "call out: 打电话没人接，留了语音信息",
            "email out: 第二封跟进邮件，附上工厂视频和BSCI验厂报告",
        ),
        (
            "email in: {contact} replied: not buying now, keep them posted on new models.",
            "chat in: {contact} 在WhatsApp回复了，说下个月再看",
        ),
        (
            "email out: Follow-up #3: shared new price list and our 2 best sellers.",
            "meeting out: Video call with {contact} (Teams): introduced factory and main lines.",
        ),
    ),
    "inquiry": (
        (
            "email in: Inquiry: {qty} pcs {product}, needs CE/RoHS certificates.",
            "email in: 客户询盘：{product_zh}，问MOQ和交期",
            "chat in: Buyer asked for CIF {port} price for {container}.",
            "email in: {contact} asked for {incoterm} price for {qty} pcs {product}.",
        ),
        (
            "call out: 跟{contact}电话确认询盘细节：规格、包装、目标价",
            "email out: Asked for target price and annual quantity before quoting.",
        ),
    ),
    "quote": (
        (
            "email out: 报价已发：{product_zh} {incoterm}，有效期30天",
            "email out: Sent quotation {incoterm}: {price}, 30% T/T deposit, 70% vs B/L copy.",
        ),
        (
            "email in: 客户说价格比越南供应商高{pct}%，要求再降",
            "chat in: {contact}: price is OK but 45 days lead time is too long.",
        ),
        (
            "email out: Revised quote with {pct}% discount for {container}.",
            "call out: Went through the quotation with {contact}; they compare 3 suppliers.",
        ),
    ),
    "sample": (
        (
            "email out: 寄样品 {courier} 单号 {tracking}",
            "email out: Samples sent by {courier}, tracking {tracking}, freight prepaid.",
        ),
        ("chat in: {contact}: samples received, testing in their lab.",),
        (
            "email in: 样品反馈：颜色有偏差，包装需要改成彩盒",
            "call out: 跟进样品测试结果，客户说下周给反馈",
        ),
        ("email in: Sample approved! Waiting for their PO.",),
    ),
    "negotiate": (
        (
            "meeting out: 视频会议谈交期和包装，客户要求彩盒印他们的logo",
            "email in: Buyer asked for CIF {port} price for {container}.",
        ),
        (
            "email in: Payment terms: buyer wants L/C at sight, we proposed 30/70 T/T.",
            "call out: 电话谈价格，最后同意{price}，客户要老板确认",
        ),
        ("visit in: {contact} visited our factory in Ningbo with their QC; audit passed.",),
        ("email out: Sent PI draft: {qty} pcs {product}, {incoterm}.",),
    ),
    "order": (
        ("email in: 收到PO #{po}，{qty} pcs {product_zh}，已回签PI",),
        ("email in: Deposit received (30%), production starts.",),
        ("note: 大货生产中，预计{days}天后出货",),
        ("email out: 验货通过，已订舱 {container}，船期下周",),
        ("email out: Shipment left Ningbo; B/L copy and invoice sent to {contact}.",),
        ("email in: Balance paid, original documents released.",),
    ),
    "repeat": (
        (
            "email in: 客户返单，追加{qty} pcs {product_zh}",
            "email in: Re-order PO #{po2}: same spec as last order, {container}.",
        ),
        ("chat in: {contact} sent photos of our {product} on their shop shelves.",),
        (
            "call out: Quarterly call with {contact}: sells well, next order in ~{days} days.",
            "meeting out: 视频会议：讨论明年新品和年度框架协议",
        ),
        ("email out: 新品推荐：{product_zh}升级款，发了规格书和报价",),
        ("email in: Another re-order this quarter: {qty} pcs, same packing.",),
    ),
    "dormant": (
        ("email out: 半年没下单了，发了新品推荐", "chat out: WhatsApp 问候，发了促销价，没回复"),
        (
            "email in: {contact}: market is slow, will come back in Q3.",
            "call out: Called {contact}, number no longer in use; 要找新的联系人",
        ),
    ),
    "lost": (
        (
            "email in: {contact}: they went with another supplier this season.",
            "email in: 客户回复：这次不考虑了，有需要再联系",
        ),
        ("note: 标记丢失：{lost_reason}",),
    ),
}
MANAGER_NOTES = (
    "note: 经理：这个客户潜力大，下个月安排视频会议，我一起参加",
    "note: Manager: check their credit before offering 30-day O/A.",
    "note: 经理点评：报价可以再灵活一点，毛利不低于15%即可",
)


def parse_entry(entry: str) -> tuple[str, str, str]:
    """'email out: Sent …' → ('email', 'out', 'Sent …'); a bare 'note: …' is internal."""
    head, summary = entry.split(": ", 1)
    kind, _, direction = head.partition(" ")
    return kind, direction or "internal", summary


# The phases a customer's timeline walks through, by stage.
STAGE_PHASES = {
    "lead": ("research",),
    "contacted": ("research", "first"),
    "inquiry": ("first", "inquiry"),
    "quoted": ("first", "inquiry", "quote"),
    "sample": ("inquiry", "quote", "sample"),
    "negotiation": ("quote", "sample", "negotiate"),
    "ordered": ("quote", "sample", "negotiate", "order"),
    "repeat": ("order", "repeat"),
    "dormant": ("quote", "order", "dormant"),
    "lost": ("inquiry", "quote", "lost"),
}

# (fewest, most) timeline entries per stage; a manager's note may add one (so at most 12).
ACTIVITY_COUNTS = {
    "lead": (0, 2),
    "contacted": (1, 4),
    "inquiry": (2, 5),
    "quoted": (3, 7),
    "sample": (4, 9),
    "negotiation": (5, 10),
    "ordered": (6, 11),
    "repeat": (6, 11),
    "dormant": (2, 4),
    "lost": (2, 6),
}

# (oldest, newest) days ago of the timeline, by stage; the demo covers the last 120 days.
ACTIVITY_WINDOW = {
    "lead": (40, 1),
    "contacted": (60, 0),
    "inquiry": (75, 0),
    "quoted": (90, 0),
    "sample": (100, 0),
    "negotiation": (110, 0),
    "ordered": (120, 0),
    "repeat": (120, 0),
    "dormant": (120, 62),
    "lost": (110, 12),
}

# Open follow-ups by stage: the next step.
TASKS = {
    "lead": (
        "发开发信 first email",
        "Research buyer on LinkedIn, find the purchasing manager",
        "查海关数据，看他们从哪里进货",
    ),
    "contacted": (
        "Follow up intro email — 第二封跟进",
        "WhatsApp跟进，问是否收到目录",
        "Send new catalogue + price list",
    ),
    "inquiry": (
        "Prepare quotation for {product}",
        "核算{product_zh}成本，准备报价",
        "Ask {contact} for target price & annual qty",
    ),
    "quoted": (
        "跟进报价，问客户反馈",
        "Call {contact} re: quotation {incoterm}",
        "报价快到期了，提醒客户",
    ),
    "sample": (
        "Check that samples arrived ({courier})",
        "问样品测试结果",
        "Follow up on sample feedback",
    ),
    "negotiation": ("Send PI for signature", "确认付款方式和交期", "Chase the deposit payment"),
    "ordered": (
        "跟进生产进度，安排验货",
        "Send shipping documents (B/L copy, invoice, packing list)",
        "提醒客户付尾款",
    ),
    "repeat": (
        "问客户下季度订单计划",
        "Send new product offer for the re-order",
        "Quarterly review call with {contact}",
    ),
    "dormant": ("激活沉睡客户：发新品和促销价", "Call {contact} to check their market"),
    "lost": (),
}
# Follow-ups a customer at each stage has done already: the next steps of the stages before.
_PIPELINE = ("lead", "contacted", "inquiry", "quoted", "sample", "negotiation", "ordered")
_BEFORE = {stage: _PIPELINE[:index] for index, stage in enumerate(_PIPELINE)} | {
    "repeat": _PIPELINE,
    "dormant": _PIPELINE,
    "lost": _PIPELINE[:4],
}
EARLIER_TASKS = {
    stage: tuple(title for previous in before[-2:] for title in TASKS[previous])
    for stage, before in _BEFORE.items()
}

LOST_REASONS = (
    "价格没优势，客户选了越南供应商",
    "客户要求UL认证，我们暂时没有",
    "付款方式谈不拢，客户只接受90天O/A",
    "交期太长，客户急单找了别家",
    "客户公司被收购，采购转到总部",
    "样品测试没通过（光衰/色温不达标）",
    "客户的项目取消了",
)
