/* build.c - the school before the certificate: name, days, seasons and periods (the
 * clock times of seeds 000, 002, 003, 004), grades, classes and home rooms, special
 * venues, clubs and paid courses with the coaches and provider teachers they need,
 * the school's own staff with their availability (Friday training, part-time days,
 * duty leaders away), and the students with their stays, priority flags and ranked
 * choices.  Spare classrooms, the staff the certificate still lacks and the
 * tightening come after, in cert.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen2/gen2.h"

#define HM(h, m) ((h) * 60 + (m))
#define WEEKDAYS 0x1Fu
#define BIT(i) (1u << (i))

static const char *const GRADE_ZH[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
static const char *const SURNAME[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈"};
static const char *const GIVEN[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀", "霞", "平", "刚", "桂", "子", "涵", "浩", "宇", "轩", "梓", "欣", "怡", "诗", "雨", "晨", "博",
    "文", "思", "嘉", "佳", "一", "可", "心", "然", "睿", "泽", "瑶", "彤", "悦", "航", "琪", "萱"};
#define NELEM(a) ((int)(sizeof(a) / sizeof(a)[0]))

void g2_person(g2_rng *r, char *buf, size_t n, const char *suffix)
{
    const char *a = SURNAME[g2_range(r, 0, NELEM(SURNAME) - 1)];
    const char *b = GIVEN[g2_range(r, 0, NELEM(GIVEN) - 1)];
    const char *c = g2_chance(r, 550) ? GIVEN[g2_range(r, 0, NELEM(GIVEN) - 1)] : "";
    snprintf(buf, n, "%s%s%s%s", a, b, c, suffix);
}

/* ---------------------------------------------------------------- periods */

static int care_activity(g2_school *s, const char *id, const char *name, const char *kind, const char *tier, int spg)
{
    int a = g2_act_add(s);
    g2_activity *x = &s->acts[a];
    snprintf(x->id, sizeof x->id, "%s", id);
    snprintf(x->name, sizeof x->name, "%s", name);
    x->kind = kind;
    x->tier = tier;
    x->spg = spg;
    x->sessions = 1;
    x->min = x->max = x->merge = -1; /* the policy's, by kind */
    return a;
}

static void period(g2_school *s, const char *id, const char *name, const char *kind, unsigned days, unsigned grades,
                   int care, const int win[4], int course_slot)
{
    g2_period *p = &s->periods[s->nperiods++];
    snprintf(p->id, sizeof p->id, "%s", id);
    p->name = name;
    p->kind = kind;
    p->days = days;
    p->grades = grades;
    p->care = care;
    p->start[G2_SUMMER] = win[0];
    p->end[G2_SUMMER] = win[1];
    p->start[G2_WINTER] = s->cfg.seasons > 1 ? win[2] : -1;
    p->end[G2_WINTER] = s->cfg.seasons > 1 ? win[3] : -1;
    p->course_slot = course_slot;
}

static unsigned grade_span(int lo, int hi)
{
    unsigned m = 0;
    for (int g = lo; g <= hi; g++)
        m |= BIT(g);
    return m;
}

static void build_periods(g2_school *s)
{
    const g2_config *c = &s->cfg;
    unsigned all = grade_span(c->glo, c->ghi);
    int middle = c->glo >= 7;
    if (c->morning) {
        int a = care_activity(s, "morning-care", "晨间托管", "care", NULL, 1);
        int w[4] = {HM(7, 30), HM(8, 10), HM(7, 40), HM(8, 10)};
        if (c->morningwinter) /* 000: morning care in the cold months only */
            w[0] = w[1] = -1;
        period(s, "morning", "晨间托管", "morning", WEEKDAYS, all, a, w, 0);
        if (c->morningwinter && c->seasons < 2) { /* a single season keeps it */
            s->periods[s->nperiods - 1].start[G2_SUMMER] = HM(7, 40);
            s->periods[s->nperiods - 1].end[G2_SUMMER] = HM(8, 10);
        }
    }
    if (c->noon) {
        int a = c->noonreading ? care_activity(s, "noon-read", "午间阅读", "reading", NULL, 1)
                               : care_activity(s, "noon-care", "午间托管", "care", NULL, 1);
        int w[4] = {HM(11, 40), HM(14, 0), HM(11, 40), HM(13, 30)}; /* 000: 11:30–14:00 / 11:30–13:30 */
        if (middle) {
            int m[4] = {HM(12, 10), HM(14, 0), HM(12, 10), HM(13, 30)}; /* 003 */
            memcpy(w, m, sizeof w);
        }
        period(s, "noon", "午间托管", "noon", WEEKDAYS, all, a, w, 0);
    }
    int hw = care_activity(s, "homework", "作业辅导与答疑", "homework", c->hwclass ? "class" : NULL, 1);
    if (middle) {
        int w[4] = {HM(16, 50), HM(17, 40), HM(16, 30), HM(17, 20)};
        period(s, "after", "课后服务第1节（作业）", "after-school", WEEKDAYS, all, hw, w, 0);
        int t = care_activity(s, "tutoring", "补缺·提优", "homework", "class", 1);
        int w2[4] = {HM(17, 50), HM(18, 30), HM(17, 30), HM(18, 10)}; /* 004: ends not before 18:00 */
        period(s, "after2", "课后服务第2节（兴趣特长）", "after-school", WEEKDAYS, grade_span(7, 8), t, w2, 1);
    } else {
        int w[4] = {HM(16, 30), HM(17, 30), HM(16, 0), HM(17, 0)}; /* 000: 17:00–18:00 / 16:30–17:30, earlier */
        period(s, "after", "课后服务", "after-school", WEEKDAYS, all, hw, w, 1);
    }
    int top = c->evening9 ? 8 : c->ghi;
    if (c->late && c->late_from <= top) {
        int a = care_activity(s, "late-care", "校级延时服务", "care", "school", c->twincare ? 2 : 1);
        int w[4] = {HM(17, 30), HM(18, 30), HM(17, 0), HM(18, 0)}; /* 001: 校级服务 not before 18:00 */
        period(s, "late", "延时托管（校级）", "late", WEEKDAYS, grade_span(c->late_from, top), a, w, 0);
    }
    if (c->boarding) { /* 003: boarders do homework with a teacher until 19:40 */
        int lo = c->glo > 3 ? c->glo : 3, hi = c->ghi < 6 ? c->ghi : 6;
        if (lo <= hi) {
            int a = care_activity(s, "boarding-study", "住校生晚间作业", "homework", NULL, 1);
            int w[4] = {HM(18, 40), HM(19, 40), HM(18, 30), HM(19, 30)};
            period(s, "boarding", "住校生晚间托管", "evening", 0x0F, grade_span(lo, hi), a, w, 0);
        }
    }
    if (c->evening9) { /* 004: grade 9, Mon–Thu, ends by 18:30 */
        int a = care_activity(s, "evening-study", "初三晚自习", "homework", NULL, 1);
        int w[4] = {HM(17, 40), HM(18, 30), HM(17, 20), HM(18, 10)};
        period(s, "evening9", "初三晚自习", "evening", 0x0F, BIT(9), a, w, 0);
    }
    if (c->sat9 && c->ghi >= 9) { /* 004: Saturday service for grade 9 */
        int a = care_activity(s, "sat-review", "周六答疑·周周清", "homework", NULL, 1);
        int w[4] = {HM(8, 30), HM(11, 30), HM(8, 30), HM(11, 30)};
        period(s, "sat9", "初三周六课后服务", "after-school", BIT(5), BIT(9), a, w, 0);
        s->days |= BIT(5);
    }
    if (c->late_courses) /* 002: paid courses also in the late slot, Mon–Thu until 18:00 */
        for (int p = 0; p < s->nperiods; p++)
            if (!strcmp(s->periods[p].id, "late"))
                s->periods[p].course_slot = 2;
}

/* ---------------------------------------------------------------- classes */

static int fit_sizes(g2_school *s, int lo, int hi)
{
    int n = s->cfg.students, sum = 0;
    for (int i = 0; i < s->nclasses; i++)
        sum += s->classes[i].size = g2_range(&s->rng, lo, hi);
    for (int guard = 0; sum != n && guard < 10000000; guard++) {
        g2_class *k = &s->classes[g2_range(&s->rng, 0, s->nclasses - 1)];
        if (sum < n && k->size < hi)
            k->size++, sum++;
        else if (sum > n && k->size > lo)
            k->size--, sum--;
    }
    return sum == n ? 0 : -1;
}

static void build_classes(g2_school *s)
{
    const g2_config *c = &s->cfg;
    int G = s->ngrades, N = c->students, lo = c->size_lo, hi = c->size_hi, C;
    int per[12] = {0};
    if (c->onepergrade) {
        C = G;
        int avg = N / G;
        lo = avg - 10 > 12 ? avg - 10 : 12;
        hi = avg + 10 < 52 ? avg + 10 : 52;
        for (int i = 0; i < G; i++)
            per[i] = 1;
    } else {
        int avg = (lo + hi) / 2;
        C = (N + avg / 2) / avg;
        if (C < G)
            C = G;
        while (C * hi < N)
            C++;
        while (C > G && C * lo > N)
            C--;
        for (int i = 0; i < G; i++)
            per[i] = C / G;
        for (int k = 0; k < C % G; k++)
            per[g2_range(&s->rng, 0, G - 1)]++;
        for (int k = 0; k < G / 3; k++) { /* grades differ: one class moves between two grades */
            int a = g2_range(&s->rng, 0, G - 1), b = g2_range(&s->rng, 0, G - 1);
            if (per[a] > 1 && a != b)
                per[a]--, per[b]++;
        }
    }
    if (C * lo > N)
        lo = N / C;
    if (C * hi < N || lo < 1) {
        fprintf(stderr, "gen2: %d students do not fit %d classes of %d..%d\n", N, C, c->size_lo, c->size_hi);
        exit(1);
    }
    s->classes = g2_alloc(sizeof *s->classes * (size_t)C);
    s->nclasses = C;
    int k = 0;
    for (int i = 0; i < G; i++)
        for (int j = 0; j < per[i]; j++, k++) {
            g2_class *x = &s->classes[k];
            x->grade = s->grades[i];
            snprintf(x->id, sizeof x->id, "c%d-%d", x->grade, j + 1);
            snprintf(x->name, sizeof x->name, "%s年级%d班", GRADE_ZH[x->grade], j + 1);
        }
    if (fit_sizes(s, lo, hi) < 0) {
        fprintf(stderr, "gen2: could not spread %d students over %d classes\n", N, C);
        exit(1);
    }
    for (int i = 0; i < C; i++) {
        g2_class *x = &s->classes[i];
        /* the home room holds the whole class (RULES.md G2: a class is never split) and any
         * merged care group (G1: at most group-max), so the certificate's groups fit and
         * merging classes, as G6/G7 may ask, never needs a larger room */
        int base = x->size > s->gm ? x->size : s->gm;
        x->room = g2_venue_add(s, "classroom", base + g2_range(&s->rng, 0, 8));
        g2_venue *v = &s->venues[x->room];
        snprintf(v->id, sizeof v->id, "r%d-%s", x->grade, strchr(x->id, '-') + 1);
        snprintf(v->name, sizeof v->name, "%s(%s)班教室", GRADE_ZH[x->grade], strchr(x->id, '-') + 1);
    }
}

/* ---------------------------------------------------------------- clubs, courses */

typedef struct {
    const char *id, *name, *category, *vtype, *spec;
    int external; /* 003: specialist activities get external coaches */
} club_kind;

static const club_kind CLUBS[] = {
    {"football", "足球", "体质健康", "field", "football", 1},
    {"basketball", "篮球", "体质健康", "field", "basketball", 1},
    {"pingpong", "乒乓球", "体质健康", "hall", "pingpong", 1},
    {"wushu", "武术", "体质健康", "hall", "wushu", 1},
    {"athletics", "田径", "体质健康", "field", "athletics", 0},
    {"rope", "花样跳绳", "体质健康", "field", NULL, 0},
    {"opera", "戏曲", "艺术修养", "music", "opera", 1},
    {"choir", "合唱", "艺术修养", "music", "music", 0},
    {"dance", "舞蹈", "艺术修养", "hall", "dance", 1},
    {"painting", "儿童画", "艺术修养", "art", "art", 0},
    {"calligraphy", "书法", "艺术修养", "art", "calligraphy", 0},
    {"papercut", "剪纸", "劳动实践", "art", NULL, 0},
    {"go", "围棋", "益智探究", "classroom", "go", 0},
    {"science", "科学小实验", "益智探究", "lab", "science", 0},
    {"robot", "机器人", "益智探究", "lab", "robot", 1},
    {"woodwork", "木工坊", "劳动实践", "lab", "woodwork", 1},
    {"planting", "种植园", "劳动实践", "garden", NULL, 0},
    {"recite", "经典诵读", "文明养成", "classroom", NULL, 0},
    {"etiquette", "文明礼仪", "文明养成", "activity", NULL, 0},
};

static const struct { const char *id, *name, *category; } COURSES[] = {
    {"drama", "英语戏剧", "艺术修养"},   {"coding", "少儿编程", "益智探究"},   {"guzheng", "古筝", "艺术修养"},
    {"sketch", "素描", "艺术修养"},      {"clay", "陶艺", "劳动实践"},         {"chess", "国际象棋", "益智探究"},
    {"speech", "口才与主持", "文明养成"}, {"craft", "创意手工", "劳动实践"},   {"taekwondo", "跆拳道", "体质健康"},
    {"thinking", "思维训练", "益智探究"}, {"hiphop", "街舞", "体质健康"},      {"tea", "茶艺", "文明养成"},
};

static const char *const PROVIDERS[] = {"启航教育科技有限公司", "青苗艺术培训中心", "智趣科创工作室",
                                        "少年体育俱乐部"};

static const struct { const char *type, *name; int cap; } VENUE_KINDS[] = {
    {"field", "操场", 120}, {"hall", "风雨操场", 60},    {"music", "音乐教室", 45}, {"art", "美术教室", 42},
    {"lab", "科学实验室", 42}, {"activity", "多功能活动室", 50}, {"garden", "种植园", 45},
};

static int venue_kind(const char *type)
{
    for (int i = 0; i < NELEM(VENUE_KINDS); i++)
        if (!strcmp(VENUE_KINDS[i].type, type))
            return i;
    return -1;
}

static void special_venues(g2_school *s, const int *per_type)
{
    for (int i = 0; i < NELEM(VENUE_KINDS); i++)
        for (int k = 0; k < per_type[i]; k++) {
            int v = g2_venue_add(s, VENUE_KINDS[i].type, VENUE_KINDS[i].cap + g2_range(&s->rng, 0, 10));
            g2_venue *x = &s->venues[v];
            snprintf(x->id, sizeof x->id, "%s%d", VENUE_KINDS[i].type, k + 1);
            snprintf(x->name, sizeof x->name, "%s%d", VENUE_KINDS[i].name, k + 1);
            if (g2_chance(&s->rng, 200)) { /* used by the school team one afternoon */
                int d = g2_range(&s->rng, 0, 4);
                for (int p = 0; p < s->nperiods; p++)
                    if (s->periods[p].course_slot)
                        x->unavail[d] |= BIT(p);
            }
        }
}

static int find_period(const g2_school *s, const char *id)
{
    for (int p = 0; p < s->nperiods; p++)
        if (!strcmp(s->periods[p].id, id))
            return p;
    return -1;
}

/* A band of 1..3 adjacent grades of the school within lo..hi. */
static unsigned band(g2_school *s, int lo, int hi)
{
    if (lo < s->cfg.glo)
        lo = s->cfg.glo;
    if (hi > s->cfg.ghi)
        hi = s->cfg.ghi;
    int w = g2_range(&s->rng, 1, 3), a = g2_range(&s->rng, lo, hi);
    int b = a + w - 1 > hi ? hi : a + w - 1;
    return grade_span(a, b);
}

/* An external coach or provider teacher with speciality spec, there only at the
 * activity's slots (partdays: on one of its days only). */
static void specialist(g2_school *s, const g2_activity *a, const char *title)
{
    int i = g2_staff_add(s, G2_EXTERNAL);
    g2_staff *m = &s->staff[i];
    g2_person(&s->rng, m->name, sizeof m->name, title);
    m->spec[m->nspec++] = a->spec;
    int days[G2_DAYS], nd = 0;
    for (int d = 0; d < G2_DAYS; d++)
        if (a->slots[d])
            days[nd++] = d;
    int only = s->cfg.partdays && nd > 1 && g2_chance(&s->rng, 400) ? days[g2_range(&s->rng, 0, nd - 1)] : -1;
    for (int d = 0; d < G2_DAYS; d++)
        m->avail[d] = (only < 0 || d == only) ? a->slots[d] : 0;
    m->max_sessions = g2_range(&s->rng, 2, 6);
    m->max_minutes = 30 * g2_range(&s->rng, 4, 10);
}

static int pick_days(g2_school *s, unsigned pool, int n, unsigned *out)
{
    int have = 0;
    *out = 0;
    for (int guard = 0; have < n && guard < 100; guard++) {
        int d = g2_range(&s->rng, 0, 6);
        if ((pool & BIT(d)) && !(*out & BIT(d)))
            *out |= BIT(d), have++;
    }
    return have;
}

static void build_clubs(g2_school *s, const char **teacher_specs, int *nts, int *per_type)
{
    const g2_config *c = &s->cfg;
    int N = c->students;
    int n = c->clubs == 0 ? 0 : c->clubs == 1 ? N / 80 : N / 45;
    int nmax = c->clubs == 2 ? 70 : 45;
    if (c->clubs && n < 3)
        n = 3;
    if (n > nmax)
        n = nmax;
    int p = find_period(s, c->after2 ? "after2" : "after");
    static const unsigned PAIRS[] = {BIT(2) | BIT(4), BIT(2) | BIT(4), BIT(1) | BIT(3), BIT(0) | BIT(2), BIT(1) | BIT(4)};
    unsigned club_days = PAIRS[g2_range(&s->rng, 0, NELEM(PAIRS) - 1)]; /* 003: Wed + Fri */
    int counts[NELEM(CLUBS)] = {0};
    int lo = c->after2 ? 7 : c->glo, hi = c->after2 ? 8 : (c->evening9 ? 8 : c->ghi);
    for (int k = 0; k < n; k++) {
        int ci = g2_range(&s->rng, 0, NELEM(CLUBS) - 1);
        const club_kind *ck = &CLUBS[ci];
        int a = g2_act_add(s);
        g2_activity *x = &s->acts[a];
        snprintf(x->id, sizeof x->id, "k-%s-%d", ck->id, ++counts[ci]);
        if (counts[ci] > 1)
            snprintf(x->name, sizeof x->name, "%s社团（%d）", ck->name, counts[ci]);
        else
            snprintf(x->name, sizeof x->name, "%s社团", ck->name);
        x->kind = "club";
        x->category = ck->category;
        x->venue_type = ck->vtype;
        x->spec = ck->spec;
        x->grades = band(s, lo, hi);
        x->tier = (x->grades & (x->grades - 1)) && g2_chance(&s->rng, 300) ? "grade" : NULL;
        x->spg = c->twin && (!strcmp(ck->vtype, "field") || g2_chance(&s->rng, 250)) ? 2 : 1; /* 000: 双师 */
        x->sessions = 1;
        x->min = g2_chance(&s->rng, 400) ? g2_range(&s->rng, 8, 14) : -1;
        x->max = g2_range(&s->rng, 25, 40);
        x->merge = -1;
        x->fee = 0;
        x->popularity = 1000 / (1 + g2_range(&s->rng, 0, 2 * n));
        unsigned days = club_days;
        if (g2_chance(&s->rng, 200))
            x->sessions = 2; /* meets twice a week, on both club days */
        else if (g2_chance(&s->rng, 600))
            days = g2_chance(&s->rng, 500) ? (club_days & (0u - club_days)) : (club_days & (club_days - 1));
        for (int d = 0; d < G2_DAYS; d++)
            if (days & BIT(d))
                x->slots[d] = BIT(p);
        if (!x->spec)
            continue;
        int have = 0;
        for (int i = 0; i < s->nstaff; i++)
            for (int j = 0; j < s->staff[i].nspec; j++)
                have += !strcmp(s->staff[i].spec[j], x->spec);
        if (ck->external) {
            for (int k2 = 0; k2 < x->spg; k2++)
                if (have < x->spg || g2_chance(&s->rng, 600))
                    specialist(s, x, "教练");
        } else {
            for (int k2 = 0; k2 < x->spg && *nts < 256; k2++)
                teacher_specs[(*nts)++] = x->spec;
        }
    }
    /* venues: about one of a type per three clubs of that type at a club day */
    int need[NELEM(VENUE_KINDS)] = {0};
    for (int a = 0; a < s->nacts; a++)
        if (!strcmp(s->acts[a].kind, "club") && venue_kind(s->acts[a].venue_type) >= 0)
            need[venue_kind(s->acts[a].venue_type)]++;
    for (int i = 0; i < NELEM(VENUE_KINDS); i++)
        per_type[i] = need[i] ? 1 + need[i] / 4 : 0;
}

static void build_courses(g2_school *s)
{
    const g2_config *c = &s->cfg;
    int N = c->students;
    int n = c->courses == 0 ? 0 : c->courses == 1 ? N / 150 : N / 70;
    int nmax = c->courses == 2 ? 50 : 25;
    if (c->courses && n < 2)
        n = 2;
    if (n > nmax)
        n = nmax;
    int after = find_period(s, "after"), late = find_period(s, "late");
    int g6 = c->grade6course && c->glo <= 6 && c->ghi >= 6;
    int n6 = g6 ? 2 + N / (6 * 120) : 0;
    int counts[NELEM(COURSES)] = {0};
    for (int k = 0; k < n + n6; k++) {
        int ci = g2_range(&s->rng, 0, NELEM(COURSES) - 1);
        int a = g2_act_add(s);
        g2_activity *x = &s->acts[a];
        snprintf(x->id, sizeof x->id, "x-%s-%d", COURSES[ci].id, ++counts[ci]);
        snprintf(x->name, sizeof x->name, "%s（个性化课程%d）", COURSES[ci].name, counts[ci]);
        x->kind = "course";
        x->category = COURSES[ci].category;
        x->venue_type = "classroom";
        x->provider = PROVIDERS[g2_range(&s->rng, 0, NELEM(PROVIDERS) - 1)];
        x->fee = g2_chance(&s->rng, 500) ? 20 : 5 * g2_range(&s->rng, 4, 7); /* 002: 20 yuan a lesson */
        x->sessions = 1;
        x->min = -1; /* 002: opens at course-min */
        x->max = g2_range(&s->rng, 22, 38);
        x->merge = -1;
        x->spg = c->twin && g2_chance(&s->rng, 400) ? 2 : 1;
        x->popularity = 1000 / (1 + g2_range(&s->rng, 0, 2 * (n + n6)));
        int p = after;
        int lo = c->glo, hi = c->ghi;
        if (late >= 0 && c->late_courses && g2_chance(&s->rng, 400)) {
            p = late;
            lo = s->cfg.late_from;
            hi = c->evening9 ? 8 : c->ghi;
        }
        unsigned days;
        if (k >= n) { /* 000: grade 6's course-selection afternoon, Thursday */
            x->grades = BIT(6);
            days = BIT(3);
        } else {
            x->grades = band(s, lo, hi);
            pick_days(s, 0x0F, g2_chance(&s->rng, 150) ? 2 : 1, &days); /* 002: Mon–Thu */
            if (days & (days - 1))
                x->sessions = 2;
        }
        for (int d = 0; d < G2_DAYS; d++)
            if (days & BIT(d))
                x->slots[d] = BIT(p);
        if (g2_chance(&s->rng, 600)) { /* the provider's own teacher; else the school's staff lead it */
            x->spec = g2_keep(s, x->id + 2);
            for (int k2 = 0; k2 < x->spg; k2++)
                specialist(s, x, "老师");
        }
    }
}

/* ---------------------------------------------------------------- staff */

static unsigned periods_of_kind(const g2_school *s, const char *kind)
{
    unsigned m = 0;
    for (int p = 0; p < s->nperiods; p++)
        if (!strcmp(s->periods[p].kind, kind))
            m |= BIT(p);
    return m;
}

static unsigned period_bit(const g2_school *s, const char *id)
{
    int p = find_period(s, id);
    return p < 0 ? 0 : BIT(p);
}

static void teacher_availability(g2_school *s, g2_staff *m, int leader)
{
    g2_rng *r = &s->rng;
    for (int d = 0; d < G2_DAYS; d++)
        m->avail[d] = g2_running(s, d);
    unsigned off = 0;
    if (g2_chance(r, 600))
        off |= period_bit(s, "morning");
    if (g2_chance(r, 400))
        off |= period_bit(s, "late"); /* 002: 弹性上下班, not everyone stays late */
    if (g2_chance(r, 700)) /* the grade-9 team stays; school leaders come on Saturday for duty */
        off |= period_bit(s, "evening9") | (leader ? 0 : period_bit(s, "sat9"));
    if (g2_chance(r, 700))
        off |= period_bit(s, "boarding");
    for (int d = 0; d < G2_DAYS; d++)
        m->avail[d] &= ~off;
    if (s->cfg.friday && !leader && g2_chance(r, 850)) /* 002: Friday afternoon teacher training */
        m->avail[4] &= ~(periods_of_kind(s, "after-school") | periods_of_kind(s, "late"));
    if (s->cfg.partdays && !leader && g2_chance(r, 150)) { /* part-time: away one whole day */
        int d = g2_range(r, 0, 4);
        m->avail[d] = 0;
        m->locked[d] = 1;
    }
    if (g2_chance(r, 100)) {
        int d = g2_range(r, 0, 4), p = g2_range(r, 0, s->nperiods - 1);
        m->avail[d] &= ~BIT(p);
    }
}

static void some_days(g2_school *s, g2_staff *m, int lo, int hi, unsigned periods)
{
    unsigned days;
    pick_days(s, WEEKDAYS, g2_range(&s->rng, lo, hi), &days);
    for (int d = 0; d < G2_DAYS; d++)
        m->avail[d] = (days & BIT(d)) ? g2_running(s, d) & periods : 0;
}

static void build_staff(g2_school *s, const char **teacher_specs, int nts)
{
    g2_rng *r = &s->rng;
    static const char *const TITLES[] = {"校长", "副校长", "教导主任", "德育主任", "总务主任", "年级组长", "教研组长"};
    int nl = s->dlpd + g2_range(r, 1, 4);
    if (nl > NELEM(TITLES))
        nl = NELEM(TITLES);
    int first_leader = s->nstaff;
    for (int k = 0; k < nl; k++) {
        int mi = g2_staff_add(s, G2_TEACHER);
        g2_staff *m = &s->staff[mi];
        g2_person(r, m->name, sizeof m->name, TITLES[k]);
        m->duty = 1;
        teacher_availability(s, m, 1);
        m->max_sessions = g2_range(r, 4, 8);
        m->max_minutes = 60 * g2_range(r, 5, 10);
    }
    int nt = (s->nclasses * g2_range(r, 220, 280) + 50) / 100;
    for (int k = 0; k < nt; k++) {
        int mi = g2_staff_add(s, G2_TEACHER);
        g2_staff *m = &s->staff[mi];
        g2_person(r, m->name, sizeof m->name, "老师");
        teacher_availability(s, m, 0);
        static const int MINUTES[] = {600, 600, 700, 800, 900, 1000, 1200};
        m->max_sessions = g2_range(r, 8, 12);
        m->max_minutes = MINUTES[g2_range(r, 0, NELEM(MINUTES) - 1)];
    }
    for (int k = 0; k < nts; k++) { /* the club specialities the school's teachers have */
        g2_staff *m = &s->staff[g2_range(r, first_leader + nl, s->nstaff - 1)];
        if (m->nspec < G2_MAXSPEC)
            m->spec[m->nspec++] = teacher_specs[k];
    }
    unsigned care_periods = 0;
    for (int p = 0; p < s->nperiods; p++)
        care_periods |= BIT(p);
    int nr = g2_range(r, 0, s->nclasses / 10 + 1), nv = g2_range(r, 0, s->nclasses / 8 + 1);
    for (int k = 0; k < nr; k++) { /* 001: retired teachers, some days */
        int mi = g2_staff_add(s, G2_RETIRED);
        g2_staff *m = &s->staff[mi];
        g2_person(r, m->name, sizeof m->name, "老师（退休）");
        some_days(s, m, 2, 4, care_periods & ~(period_bit(s, "evening9") | period_bit(s, "sat9")));
        m->max_sessions = g2_range(r, 4, 10);
        m->max_minutes = 60 * g2_range(r, 5, 11);
    }
    for (int k = 0; k < nv; k++) { /* 001: volunteers and university students, afternoons */
        int mi = g2_staff_add(s, G2_VOLUNTEER);
        g2_staff *m = &s->staff[mi];
        g2_person(r, m->name, sizeof m->name, "（志愿者）");
        some_days(s, m, 1, 3, periods_of_kind(s, "after-school") | periods_of_kind(s, "late"));
        m->max_sessions = g2_range(r, 3, 8);
        m->max_minutes = 60 * g2_range(r, 3, 8);
    }
    /* duty leaders away: exactly duty-leaders-per-day there on Friday, or one too few
     * on the short day (003: 2 per day) */
    int lock_day = -1, there = 0;
    if (s->cfg.duty_short >= 0)
        lock_day = s->cfg.duty_short, there = s->dlpd - 1;
    else if (s->cfg.duty_exact)
        lock_day = 4, there = s->dlpd;
    if (lock_day >= 0)
        for (int k = there; k < nl; k++) {
            g2_staff *m = &s->staff[first_leader + k];
            m->avail[lock_day] = 0;
            m->locked[lock_day] = 1;
        }
}

/* ---------------------------------------------------------------- students */

static int stay_rate(g2_school *s, const g2_period *p)
{
    int st = s->cfg.stay, lo, hi;
    if (!strcmp(p->id, "morning"))
        lo = st > 0 ? 650 : 500, hi = st > 0 ? 800 : st < 0 ? 550 : 700;
    else if (!strcmp(p->id, "late"))
        lo = st > 0 ? 700 : 500, hi = st > 0 ? 850 : st < 0 ? 550 : 650;
    else if (!strcmp(p->id, "evening9"))
        lo = 800, hi = 950;
    else if (!strcmp(p->id, "boarding"))
        lo = 500, hi = 600;
    else if (!strcmp(p->id, "sat9") || !strcmp(p->id, "after2"))
        lo = 550, hi = 900;
    else
        lo = st > 0 ? 850 : st < 0 ? 500 : 650, hi = st < 0 ? 650 : 950;
    return g2_range(&s->rng, lo, hi);
}

static unsigned priority(g2_school *s)
{
    static const unsigned FLAGS[] = {PP_PRIO_LEFT_BEHIND, PP_PRIO_MIGRANT, PP_PRIO_LOW_INCOME, PP_PRIO_DISABLED};
    int rural = s->cfg.size_hi <= 28;
    int w[4] = {rural ? 500 : 200, rural ? 100 : 400, 300, 100};
    unsigned f = 0;
    for (int k = 0; k < 1 + g2_chance(&s->rng, 100); k++) {
        int x = g2_range(&s->rng, 0, 999), i = 0;
        while (i < 3 && x >= w[i])
            x -= w[i++];
        f |= FLAGS[i];
    }
    return f;
}

static void choices(g2_school *s, g2_student *st, int grade)
{
    int cand[128], w[128], n = 0, total = 0;
    for (int a = 0; a < s->nacts && n < 128; a++) {
        const g2_activity *x = &s->acts[a];
        if (strcmp(x->kind, "club") && strcmp(x->kind, "course"))
            continue;
        if (x->grades && !(x->grades & BIT(grade)))
            continue;
        int can = 0;
        for (int d = 0; d < G2_DAYS; d++)
            can |= (x->slots[d] & st->stay[d]) != 0;
        if (can)
            cand[n] = a, total += w[n] = x->popularity, n++;
    }
    if (!n || !g2_chance(&s->rng, 750))
        return;
    static const int HOW_MANY[] = {150, 250, 300, 300}; /* ranked choices 1..4 */
    int x = g2_range(&s->rng, 0, 999), k = 0;
    while (k < 3 && x >= HOW_MANY[k])
        x -= HOW_MANY[k++];
    for (int r = 0; r <= k && r < n && total > 0; r++) {
        int y = g2_range(&s->rng, 0, total - 1), i = 0;
        while (y >= w[i])
            y -= w[i++];
        st->choice[st->nchoice++] = cand[i];
        total -= w[i];
        w[i] = 0;
    }
}

static void build_students(g2_school *s)
{
    s->students = g2_alloc(sizeof *s->students * (size_t)s->cfg.students);
    int school_rate[G2_MAXP];
    for (int p = 0; p < s->nperiods; p++)
        school_rate[p] = stay_rate(s, &s->periods[p]);
    for (int c = 0; c < s->nclasses; c++) {
        const g2_class *k = &s->classes[c];
        int rate[G2_MAXP];
        for (int p = 0; p < s->nperiods; p++) {
            int r = school_rate[p] + g2_range(&s->rng, -80, 80);
            rate[p] = r < 500 ? 500 : r > 950 ? 950 : r;
        }
        for (int i = 0; i < k->size; i++) {
            g2_student *st = &s->students[s->nstudents++];
            st->cls = c;
            g2_person(&s->rng, st->name, sizeof st->name, "");
            if (g2_chance(&s->rng, s->cfg.prio))
                st->prio = priority(s);
            for (int p = 0; p < s->nperiods; p++) {
                const g2_period *pe = &s->periods[p];
                if (!(pe->grades & BIT(k->grade)) || !g2_chance(&s->rng, rate[p]))
                    continue;
                unsigned days = pe->days & s->days;
                if (g2_chance(&s->rng, 200)) { /* stays only some days */
                    unsigned some = 0;
                    for (int d = 0; d < G2_DAYS; d++)
                        if ((days & BIT(d)) && g2_chance(&s->rng, 700))
                            some |= BIT(d);
                    if (some)
                        days = some;
                }
                for (int d = 0; d < G2_DAYS; d++)
                    if (days & BIT(d))
                        st->stay[d] |= BIT(p);
            }
            choices(s, st, k->grade);
        }
    }
}

/* ---------------------------------------------------------------- the school */

static void school_name(g2_school *s)
{
    static const char *const PLACES[] = {"城南", "城东", "河西", "育才", "实验", "光明", "新华", "红星",
                                         "希望", "明德", "文昌", "青云", "阳光", "滨江", "南湖", "北关"};
    const char *kind = s->cfg.glo >= 7 ? "中学" : s->cfg.ghi >= 9 ? "九年一贯制学校" : "小学";
    static const char *const NUM[] = {"第一", "第二", "第三", "第四", "第五", "第六"};
    snprintf(s->name, sizeof s->name, "%s%s%s", PLACES[g2_range(&s->rng, 0, NELEM(PLACES) - 1)],
             g2_chance(&s->rng, 500) ? NUM[g2_range(&s->rng, 0, NELEM(NUM) - 1)] : "", kind);
}

void g2_build(g2_school *s)
{
    const g2_config *c = &s->cfg;
    s->rng.s = c->seed * 0x2545F4914F6CDD1Dull + 0x1234567u;
    s->gm = c->gm > 0 ? c->gm : 40;
    s->dlpd = c->dlpd >= 0 ? c->dlpd : 2;
    s->days = WEEKDAYS;
    school_name(s);
    for (int g = c->glo; g <= c->ghi; g++)
        s->grades[s->ngrades++] = g;
    build_periods(s);
    build_classes(s);
    const char *teacher_specs[256];
    int nts = 0, per_type[NELEM(VENUE_KINDS)] = {0};
    build_clubs(s, teacher_specs, &nts, per_type);
    build_courses(s);
    special_venues(s, per_type);
    build_staff(s, teacher_specs, nts);
    build_students(s);
}
