/* changes.c - the published plan as the school reads it now, and the change
 * notices of a re-plan (see changes.h). */
#include "changes.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "io/html.h"
#include "io/report.h"
#include "io/sheet.h"
#include "io/timetable_xml.h"
#include "model/arena.h"
#include "model/grow.h"

/* ---------- the published plan --------------------------------------------------- */

typedef struct {
    int number, day;
    char *activity, *period, *why;
    int *students, nstudents;
} ghost;

typedef struct {
    char *id;
    int *groups, ngroups, cap; /* the gN it was in (0: a duty roster) */
} lost;

typedef struct {
    lost *v;
    int n, cap;
} lost_list;

struct pp_published {
    pp_arena *arena;
    pp_plan *plan;
    int *numbers;
    ghost *gh;
    int ngh, capgh;
    lost_list left, staff, venues; /* students who left; staff and venues no longer in the school */
    int oom;
};

static void add_lost(pp_published *p, lost_list *l, const char *id, int group)
{
    int i = 0;
    while (i < l->n && strcmp(l->v[i].id, id))
        i++;
    if (i == l->n) {
        char *c = pp_arena_strdup(p->arena, id);
        if (!c || pp_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
            p->oom = 1;
            return;
        }
        l->v[l->n++] = (lost){ c, NULL, 0, 0 };
    }
    lost *x = &l->v[i];
    for (int k = 0; k < x->ngroups; k++)
        if (x->groups[k] == group)
            return;
    if (pp_grow((void **)&x->groups, &x->cap, x->ngroups + 1, sizeof *x->groups)) {
        p->oom = 1;
        return;
    }
    x->groups[x->ngroups++] = group;
}

static void lost_free(lost_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i].groups);
    free(l->v);
}

static void on_drop(void *ctx, const pp_ttxml_drop *w)
{
    pp_published *p = ctx;
    if (w->whole && !strcmp(w->element, "group")) {
        if (pp_grow((void **)&p->gh, &p->capgh, p->ngh + 1, sizeof *p->gh)) {
            p->oom = 1;
            return;
        }
        ghost *g = &p->gh[p->ngh];
        char why[600];
        snprintf(why, sizeof why, "its %s \"%.200s\" is no longer in the school", w->attr, w->id ? w->id : "");
        *g = (ghost){ w->group, w->day, pp_arena_strdup(p->arena, w->activity ? w->activity : ""),
                      pp_arena_strdup(p->arena, w->period ? w->period : ""), pp_arena_strdup(p->arena, why),
                      pp_arena_alloc(p->arena, (size_t)(w->nstudents + 1) * sizeof(int)), w->nstudents };
        if (!g->activity || !g->period || !g->why || !g->students) {
            p->oom = 1;
            return;
        }
        memcpy(g->students, w->students, (size_t)w->nstudents * sizeof(int));
        p->ngh++;
        return;
    }
    if (!w->id)
        return;
    if (!strcmp(w->attr, "students") || !strcmp(w->attr, "student"))
        add_lost(p, &p->left, w->id, 0);
    else if (!strcmp(w->attr, "staff"))
        add_lost(p, &p->staff, w->id, w->group);
    else if (!strcmp(w->attr, "venue"))
        add_lost(p, &p->venues, w->id, w->group);
}

pp_published *pp_published_read(const char *path, const pp_school *s, pp_diags *d)
{
    pp_published *p = calloc(1, sizeof *p);
    if (!p || !(p->arena = pp_arena_new())) {
        free(p);
        pp_diags_add(d, path, 0, "out of memory");
        return NULL;
    }
    pp_ttxml_lenient len = { on_drop, p, NULL };
    p->plan = pp_ttxml_read_published(path, s, &len, d);
    p->numbers = len.numbers;
    if (p->plan && p->oom)
        pp_diags_add(d, path, 0, "out of memory");
    if (!p->plan || p->oom) {
        pp_published_free(p);
        return NULL;
    }
    return p;
}

void pp_published_free(pp_published *p)
{
    if (!p)
        return;
    pp_plan_free(p->plan);
    free(p->numbers);
    free(p->gh);
    lost_free(&p->left);
    lost_free(&p->staff);
    lost_free(&p->venues);
    pp_arena_free(p->arena);
    free(p);
}

const pp_plan *pp_published_plan(const pp_published *p)
{
    return p->plan;
}

const int *pp_published_numbers(const pp_published *p)
{
    return p->numbers;
}

int pp_published_group(const pp_published *p, const char *gid, char *why, size_t n)
{
    const char *digits = gid[0] == 'g' ? gid + 1 : gid;
    char *end;
    long k = strtol(digits, &end, 10);
    if (!*digits || *end || k <= 0) {
        snprintf(why, n, "\"%.100s\" is not a group id; expected gN as in the published timetable.xml", gid);
        return -1;
    }
    for (int g = 0; g < p->plan->ngroups; g++)
        if (p->numbers[g] == k)
            return g;
    for (int i = 0; i < p->ngh; i++)
        if (p->gh[i].number == k) {
            snprintf(why, n, "g%ld (%s, %s %s) cannot be kept: %s", k, p->gh[i].activity,
                     p->gh[i].day >= 0 ? pp_day_name(p->gh[i].day) : "", p->gh[i].period, p->gh[i].why);
            return -1;
        }
    snprintf(why, n, "there is no group g%ld in the published timetable; expected the id of one of its groups", k);
    return -1;
}

/* ---------- entries -------------------------------------------------------------- */

/* Where each staff member (or venue) is at each slot: [who * nt + t] = group, -1. */
static int *who_slots(const pp_school *s, const pp_plan *p, int venues)
{
    int nt = PP_DAYS * s->nperiods, n = venues ? s->nvenues : s->nstaff;
    int *at = malloc((size_t)n * (size_t)nt * sizeof *at + 1);
    if (!at)
        return NULL;
    for (size_t k = 0; k < (size_t)n * (size_t)nt; k++)
        at[k] = -1;
    for (int g = 0; g < p->ngroups; g++) {
        const pp_group *q = &p->groups[g];
        int t = q->day * s->nperiods + q->period;
        if (venues && q->venue >= 0)
            at[(size_t)q->venue * nt + t] = g;
        for (int k = 0; !venues && k < q->nstaff; k++)
            at[(size_t)q->staff[k] * nt + t] = g;
    }
    return at;
}

static int same_set(const int *a, int na, const int *b, int nb)
{
    if (na != nb)
        return 0;
    for (int i = 0; i < na; i++) {
        int found = 0;
        for (int j = 0; j < nb && !found; j++)
            found = a[i] == b[j];
        if (!found)
            return 0;
    }
    return 1;
}

/* The id the published group numbered gN had in l (venue or staff the school no
 * longer has), or "". */
static const char *lost_id(const lost_list *l, int number)
{
    for (int i = 0; i < l->n; i++)
        for (int k = 0; k < l->v[i].ngroups; k++)
            if (l->v[i].groups[k] == number)
                return l->v[i].id;
    return "";
}

/* In the published plan (pub not NULL, g its group index) a group without a
 * venue or with staff missing lost them: the school no longer has them. */
static const char *venue_name(const pp_school *s, const pp_published *pub, int gi, const pp_group *g, char *buf,
                              size_t n)
{
    if (g->venue >= 0)
        return s->venues[g->venue].name;
    if (!pub)
        return "（场地未定）";
    snprintf(buf, n, "（原场地 %s 已不在学校）", lost_id(&pub->venues, pub->numbers[gi]));
    return buf;
}

static const char *staff_text(const pp_school *s, const pp_published *pub, int gi, const pp_group *g, char *buf,
                              size_t n)
{
    if (pub && g->nstaff < s->activities[g->activity].staff_per_group) {
        char names[400];
        snprintf(buf, n, "%s%s（原负责人 %s 已不在学校）", g->nstaff ? pp_report_staff_names(s, g, names, sizeof names) : "",
                 g->nstaff ? "、" : "", lost_id(&pub->staff, pub->numbers[gi]));
        return buf;
    }
    return g->nstaff ? pp_report_staff_names(s, g, buf, n) : "（负责人未定）";
}

/* What a student has at a slot: group (>= 0), PP_SLOT_UNSERVED(u), a ghost
 * (-100000 - i) or nothing (-1). */
#define GHOST(i) (-100000 - (i))

static void student_text(const pp_school *s, const pp_plan *p, const pp_published *pub, int where, char *buf, size_t n)
{
    char st[512], vn[300];
    if (where >= 0) {
        const pp_group *g = &p->groups[where];
        const pp_published *old = p == pub->plan ? pub : NULL;
        snprintf(buf, n, "%s · %s · %s", s->activities[g->activity].name, venue_name(s, old, where, g, vn, sizeof vn),
                 staff_text(s, old, where, g, st, sizeof st));
    } else if (where <= GHOST(0))
        snprintf(buf, n, "%s（已取消）", pub->gh[GHOST(0) - where].activity);
    else if (where != -1)
        snprintf(buf, n, "未安排：%s", p->unserved[PP_SLOT_UNSERVED(where)].reason);
    else
        snprintf(buf, n, "—");
}

static int student_same(const pp_plan *a, int x, const pp_plan *b, int y)
{
    if (x < 0 || y < 0)
        return (x == -1 && y == -1) || (x <= -2 && x > GHOST(0) && y <= -2 && y > GHOST(0));
    const pp_group *g = &a->groups[x], *h = &b->groups[y];
    return g->activity == h->activity && g->venue == h->venue && same_set(g->staff, g->nstaff, h->staff, h->nstaff);
}

/* A staff member's (venues: a venue's) entry: the same activity and venue (staff),
 * and for care the same classes. */
static int who_same(const pp_school *s, const pp_plan *a, int x, const pp_plan *b, int y, int venues)
{
    if (x < 0 || y < 0)
        return x < 0 && y < 0;
    const pp_group *g = &a->groups[x], *h = &b->groups[y];
    if (g->activity != h->activity || (venues ? !same_set(g->staff, g->nstaff, h->staff, h->nstaff) : g->venue != h->venue))
        return 0;
    return !pp_activity_is_care(&s->activities[g->activity]) || same_set(g->classes, g->nclasses, h->classes, h->nclasses);
}

static void who_text(const pp_school *s, const pp_plan *p, const pp_published *old, int g, int venues, char *buf,
                     size_t n)
{
    char cls[400], st[400], vn[300];
    if (g < 0) {
        snprintf(buf, n, "—");
        return;
    }
    const pp_group *q = &p->groups[g];
    pp_report_group_classes(s, q, cls, sizeof cls);
    snprintf(buf, n, "%s · %s · %s", s->activities[q->activity].name,
             venues ? staff_text(s, old, g, q, st, sizeof st) : venue_name(s, old, g, q, vn, sizeof vn), cls);
}

static unsigned duty_days(const pp_plan *p, int who)
{
    unsigned m = 0;
    for (int i = 0; i < p->nduty; i++)
        for (int k = 0; k < p->duty[i].nstaff; k++)
            m |= (p->duty[i].staff[k] == who) << p->duty[i].day;
    return m;
}

static void days_text(unsigned m, char *buf, size_t n)
{
    buf[0] = 0;
    for (int d = 0; d < PP_DAYS; d++)
        if (m & (1u << d))
            snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? "、" : "", pp_day_name_zh(d));
    if (!buf[0])
        snprintf(buf, n, "无");
}

/* ---------- the notices ------------------------------------------------------------ */

struct pp_changes {
    const pp_school *s;
    const pp_published *pub;
    const pp_plan *plan;
    pp_change_counts counts[2];
    int has_scratch;
    pp_arena *arena;
    pp_change_row *rows;
    int nrows, cap;
    int oom;
};

typedef struct {
    const pp_school *s;
    const pp_published *pub;
    const pp_plan *plan;
    int *old_at, *new_at;       /* students */
    int *old_staff, *new_staff, *old_venue, *new_venue;
    pp_changes *out;            /* NULL: count only */
    int told;                   /* rows of the current person */
} diff;

static void add_row(diff *df, const char *kind, const char *id, const char *name, const char *where, int day,
                    const char *period, const char *before, const char *after, const char *note)
{
    df->told++;
    pp_changes *c = df->out;
    if (!c)
        return;
    if (pp_grow((void **)&c->rows, &c->cap, c->nrows + 1, sizeof *c->rows)) {
        c->oom = 1;
        return;
    }
    const char *v[7] = { id, name, where, period, before, after, note };
    char *cp[7];
    for (int i = 0; i < 7; i++)
        if (!(cp[i] = pp_arena_strdup(c->arena, v[i] ? v[i] : ""))) {
            c->oom = 1;
            return;
        }
    c->rows[c->nrows++] = (pp_change_row){ kind, cp[0], cp[1], cp[2], day, cp[3], cp[4], cp[5], cp[6] };
}

static int ghost_at(const pp_published *pub, const pp_school *s, int st, int d, int p)
{
    for (int i = 0; i < pub->ngh; i++)
        if (pub->gh[i].day == d && !strcmp(pub->gh[i].period, s->periods[p].id))
            for (int j = 0; j < pub->gh[i].nstudents; j++)
                if (pub->gh[i].students[j] == st)
                    return GHOST(i);
    return -1;
}

static void diff_students(diff *df, int *told)
{
    const pp_school *s = df->s;
    const pp_plan *old = df->pub->plan;
    int *order = pp_report_student_order(s);
    char a[900], b[900];
    for (int q = 0; q < s->nstudents; q++) {
        int i = order ? order[q] : q, seen = 0, rows = 0;
        for (int d = 0; d < PP_DAYS; d++)
            for (int p = 0; p < s->nperiods; p++)
                seen |= df->old_at[PP_SLOT(s, i, d, p)] != -1 || ghost_at(df->pub, s, i, d, p) != -1;
        for (int d = 0; d < PP_DAYS; d++)
            for (int p = 0; p < s->nperiods; p++) {
                int x = df->old_at[PP_SLOT(s, i, d, p)], y = df->new_at[PP_SLOT(s, i, d, p)];
                if (x == -1)
                    x = ghost_at(df->pub, s, i, d, p);
                if (student_same(old, x, df->plan, y))
                    continue;
                student_text(s, old, df->pub, x, a, sizeof a);
                student_text(s, df->plan, df->pub, y, b, sizeof b);
                const char *note = !seen && x == -1 ? "新加入" : x == -1 ? "新增" : y == -1 ? "取消" : "调整";
                add_row(df, "学生", s->students[i].id, s->students[i].name, s->classes[s->students[i].cls].name, d,
                        s->periods[p].name, a, b, note);
                rows++;
            }
        *told += rows > 0;
    }
    free(order);
    for (int i = 0; i < df->pub->left.n; i++)
        add_row(df, "学生", df->pub->left.v[i].id, "", "", -1, "", "（原排片表中）", "—", "已不在学生名单中");
}

static void diff_who(diff *df, int venues, int *told)
{
    const pp_school *s = df->s;
    const pp_plan *old = df->pub->plan;
    int n = venues ? s->nvenues : s->nstaff, nt = PP_DAYS * s->nperiods;
    const int *oa = venues ? df->old_venue : df->old_staff, *na = venues ? df->new_venue : df->new_staff;
    char a[900], b[900];
    for (int w = 0; w < n; w++) {
        int rows = 0;
        const char *id = venues ? s->venues[w].id : s->staff[w].id, *name = venues ? s->venues[w].name : s->staff[w].name;
        const char *where = venues ? s->venue_types[s->venues[w].type] : pp_staff_type_zh(s->staff[w].type);
        for (int t = 0; t < nt; t++) {
            int x = oa[(size_t)w * nt + t], y = na[(size_t)w * nt + t];
            if (who_same(s, old, x, df->plan, y, venues))
                continue;
            who_text(s, old, df->pub, x, venues, a, sizeof a);
            who_text(s, df->plan, NULL, y, venues, b, sizeof b);
            add_row(df, venues ? "场地" : "教职工", id, name, where, t / s->nperiods, s->periods[t % s->nperiods].name, a,
                    b, x < 0 ? "新增" : y < 0 ? "取消" : "调整");
            rows++;
        }
        unsigned od = venues ? 0 : duty_days(old, w), nd = venues ? 0 : duty_days(df->plan, w);
        if (od != nd) {
            days_text(od, a, sizeof a);
            days_text(nd, b, sizeof b);
            add_row(df, "教职工", id, name, where, -1, "", a, b, "值日领导");
            rows++;
        }
        *told += rows > 0;
    }
    const lost_list *l = venues ? &df->pub->venues : &df->pub->staff;
    for (int i = 0; i < l->n; i++) {
        a[0] = 0;
        for (int k = 0; k < l->v[i].ngroups; k++)
            if (l->v[i].groups[k])
                snprintf(a + strlen(a), sizeof a - strlen(a), "%sg%d", a[0] ? "、" : "原排片表 ", l->v[i].groups[k]);
            else
                snprintf(a + strlen(a), sizeof a - strlen(a), "%s值日", a[0] ? "、" : "");
        add_row(df, venues ? "场地" : "教职工", l->v[i].id, "", "", -1, "", a, "—", "已不在学校名单中，其组已另行安排");
    }
}

static int run_diff(diff *df, pp_change_counts *c)
{
    const pp_school *s = df->s;
    df->old_at = pp_report_student_slots(s, df->pub->plan);
    df->new_at = pp_report_student_slots(s, df->plan);
    df->old_staff = who_slots(s, df->pub->plan, 0);
    df->new_staff = who_slots(s, df->plan, 0);
    df->old_venue = who_slots(s, df->pub->plan, 1);
    df->new_venue = who_slots(s, df->plan, 1);
    int rc = -1;
    if ((s->nstudents && (!df->old_at || !df->new_at)) || !df->old_staff || !df->new_staff || !df->old_venue ||
        !df->new_venue)
        goto out;
    c->students_told = c->staff_told = c->venues_told = 0;
    diff_students(df, &c->students_told);
    diff_who(df, 0, &c->staff_told);
    diff_who(df, 1, &c->venues_told);
    rc = 0;
out:
    free(df->old_at);
    free(df->new_at);
    free(df->old_staff);
    free(df->new_staff);
    free(df->old_venue);
    free(df->new_venue);
    return rc;
}

int pp_changes_measure(const pp_school *s, const pp_published *pub, const pp_plan *plan, pp_change_counts *c)
{
    diff df = { .s = s, .pub = pub, .plan = plan };
    return run_diff(&df, c);
}

pp_changes *pp_changes_new(const pp_school *s, const pp_published *pub, const pp_plan *plan,
                           const pp_change_counts *replan, const pp_change_counts *scratch)
{
    pp_changes *c = calloc(1, sizeof *c);
    if (!c || !(c->arena = pp_arena_new())) {
        free(c);
        return NULL;
    }
    *c = (pp_changes){ s, pub, plan, { *replan, { 0 } }, scratch != NULL, c->arena, NULL, 0, 0, 0 };
    if (scratch)
        c->counts[1] = *scratch;
    diff df = { .s = s, .pub = pub, .plan = plan, .out = c };
    if (run_diff(&df, &c->counts[0]) || c->oom) {
        pp_changes_free(c);
        return NULL;
    }
    return c;
}

void pp_changes_free(pp_changes *c)
{
    if (!c)
        return;
    free(c->rows);
    pp_arena_free(c->arena);
    free(c);
}

int pp_changes_nrows(const pp_changes *c)
{
    return c->nrows;
}

const pp_change_row *pp_changes_row(const pp_changes *c, int i)
{
    return i >= 0 && i < c->nrows ? &c->rows[i] : NULL;
}

const pp_change_counts *pp_changes_counts(const pp_changes *c, int scratch)
{
    return scratch ? (c->has_scratch ? &c->counts[1] : NULL) : &c->counts[0];
}

/* ---------- summary -------------------------------------------------------------- */

static const char *const summary_label[] = {
    "被调出仍参加的活动的学生（人；其中本人情况未变的）",
    "周安排有变化、需通知的学生（人）",
    "变更或取消的原有组（其中不可避免的）",
    "新开的组",
    "周安排有变化的教职工（人）",
    "需通知的场地",
    "直接受影响的学生（新加入、本人情况有变、或所在组的老师或场地已不在）/ 全部学生",
    "目标值（含变更代价）",
};
#define NSUMMARY ((int)(sizeof summary_label / sizeof summary_label[0]))

int pp_changes_nsummary(void)
{
    return NSUMMARY;
}

static void summary_value(const pp_change_counts *k, int i, char *buf, size_t n)
{
    if (!k || !k->valid) {
        snprintf(buf, n, "—");
        return;
    }
    switch (i) {
    case 0: snprintf(buf, n, "%d（%d）", k->moved_students, k->moved_unaffected); break;
    case 1: snprintf(buf, n, "%d", k->students_told); break;
    case 2: snprintf(buf, n, "%d（%d）", k->groups_changed, k->groups_forced); break;
    case 3: snprintf(buf, n, "%d", k->groups_new); break;
    case 4: snprintf(buf, n, "%d", k->staff_changed); break;
    case 5: snprintf(buf, n, "%d", k->venues_told); break;
    case 6: snprintf(buf, n, "%d / %d", k->affected, k->students); break;
    default: snprintf(buf, n, "%.1f", k->objective); break;
    }
}

const char *pp_changes_summary(const pp_changes *c, int i, char *replan, char *scratch, size_t n)
{
    summary_value(&c->counts[0], i, replan, n);
    summary_value(c->has_scratch ? &c->counts[1] : NULL, i, scratch, n);
    return i >= 0 && i < NSUMMARY ? summary_label[i] : "";
}

/* ---------- CSV ---------------------------------------------------------------- */

/* A cell, with ' before a leading = + - @ so a spreadsheet does not run it. */
static void csv_cell(FILE *f, int *col, const char *t)
{
    if ((*col)++)
        fputc(',', f);
    if (t[0] && strchr("=+-@", t[0])) {
        size_t n = strlen(t);
        char *q = malloc(n + 2);
        if (q) {
            q[0] = '\'';
            memcpy(q + 1, t, n + 1);
            pp_csv_put_cell(f, q);
            free(q);
            return;
        }
        fputs("'", f);
    }
    pp_csv_put_cell(f, t);
}

static void csv_end(FILE *f, int *col)
{
    fputs("\r\n", f);
    *col = 0;
}

int pp_changes_csv(FILE *f, const pp_changes *c)
{
    char a[64], b[64];
    int col = 0;
    fputs("\xEF\xBB\xBF", f);
    static const char *const head1[] = { "项目", "本次调整", "重新排" };
    for (int i = 0; i < 3; i++)
        csv_cell(f, &col, head1[i]);
    csv_end(f, &col);
    for (int i = 0; i < NSUMMARY; i++) {
        csv_cell(f, &col, pp_changes_summary(c, i, a, b, sizeof a));
        csv_cell(f, &col, a);
        csv_cell(f, &col, b);
        csv_end(f, &col);
    }
    csv_end(f, &col);
    static const char *const head[] = { "类别", "编号", "姓名", "班级/类型", "星期", "时段", "原安排", "新安排", "说明" };
    for (int i = 0; i < 9; i++)
        csv_cell(f, &col, head[i]);
    csv_end(f, &col);
    for (int r = 0; r < c->nrows; r++) {
        const pp_change_row *w = &c->rows[r];
        const char *v[9] = { w->kind, w->id, w->name, w->where, w->day >= 0 ? pp_day_name_zh(w->day) : "", w->period,
                             w->before, w->after, w->note };
        for (int i = 0; i < 9; i++)
            csv_cell(f, &col, v[i]);
        csv_end(f, &col);
    }
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

/* ---------- HTML --------------------------------------------------------------- */

static void esc(FILE *f, const char *t)
{
    pp_html_escape(f, t);
}

static const char *const css =
    "*{box-sizing:border-box}"
    "body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\","
    "\"PingFang SC\",\"Microsoft YaHei\",\"SimHei\",\"SimSun\",sans-serif;font-size:12px;line-height:1.4;color:#111;margin:14px}"
    "@page{size:A4 portrait;margin:12mm}"
    "h1{font-size:20px;margin:0 0 4px}"
    "h2{font-size:16px;border-bottom:2px solid #333;margin:18px 0 8px;padding-bottom:2px;break-before:page}"
    "h2.first{break-before:auto}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #999;padding:3px 5px;vertical-align:top;text-align:left;overflow-wrap:anywhere}"
    "thead{display:table-header-group}thead th{background:#e8e8e8}tr{break-inside:avoid}"
    ".num{text-align:right;white-space:nowrap}"
    ".card{border:1px solid #777;padding:6px 8px;margin-bottom:8px;break-inside:avoid}"
    ".card h3{margin:0 0 4px;font-size:14px}.card h3 small{font-weight:normal;color:#444}"
    ".note{color:#444;font-size:11px}.old{color:#666}.new{font-weight:bold}"
    "table.n{table-layout:fixed}col.w1{width:22%}col.w2{width:32%}col.w3{width:14%}"
    "@media print{body{margin:0}}";

static void write_summary(FILE *f, const pp_changes *c)
{
    char a[64], b[64];
    fputs("<table class=\"sum\"><thead><tr><th>项目</th><th class=\"num\">本次调整（从已发布的排片表出发）</th>"
          "<th class=\"num\">重新排（不参考已发布的排片表）</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < NSUMMARY; i++) {
        const char *label = pp_changes_summary(c, i, a, b, sizeof a);
        fputs("<tr><td>", f);
        esc(f, label);
        fputs("</td><td class=\"num\">", f);
        esc(f, a);
        fputs("</td><td class=\"num\">", f);
        esc(f, b);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    if (!c->has_scratch)
        fputs("<p class=\"note\">未做重新排的对比（--no-scratch）。</p>\n", f);
}

/* One card per person or room: consecutive rows of one kind and id. */
static void write_cards(FILE *f, const pp_changes *c, const char *kind, const char *title, const char *intro)
{
    fprintf(f, "<h2>%s</h2>\n<p class=\"note\">%s</p>\n", title, intro);
    int any = 0;
    for (int r = 0; r < c->nrows;) {
        const pp_change_row *w = &c->rows[r];
        int e = r;
        while (e < c->nrows && c->rows[e].kind == w->kind && !strcmp(c->rows[e].id, w->id))
            e++;
        if (strcmp(w->kind, kind)) {
            r = e;
            continue;
        }
        any = 1;
        fputs("<div class=\"card\"><h3>", f);
        esc(f, w->name[0] ? w->name : w->id);
        fputs(" <small>", f);
        esc(f, w->id);
        if (w->where[0]) {
            fputs(" · ", f);
            esc(f, w->where);
        }
        fputs("</small></h3>\n<table class=\"n\"><colgroup><col class=\"w1\"><col class=\"w2\"><col class=\"w2\"><col class=\"w3\">"
              "</colgroup><thead><tr><th>时间</th><th>原安排</th><th>新安排</th><th>说明</th></tr></thead><tbody>\n", f);
        for (int q = r; q < e; q++) {
            const pp_change_row *x = &c->rows[q];
            fputs("<tr><td>", f);
            if (x->day >= 0) {
                esc(f, pp_day_name_zh(x->day));
                fputc(' ', f);
                esc(f, x->period);
            } else
                fputs("整周", f);
            fputs("</td><td class=\"old\">", f);
            esc(f, x->before);
            fputs("</td><td class=\"new\">", f);
            esc(f, x->after);
            fputs("</td><td>", f);
            esc(f, x->note);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table></div>\n", f);
        r = e;
    }
    if (!any)
        fputs("<p>无变化。</p>\n", f);
}

int pp_changes_html(FILE *f, const pp_changes *c)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    esc(f, c->s->name);
    fprintf(f, " 排片表变更通知</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    esc(f, c->s->name);
    fputs(" 排片表变更通知</h1>\n<h2 class=\"first\">变更概况</h2>\n", f);
    write_summary(f, c);
    fprintf(f, "<p class=\"note\">原排片表中的 %d 名学生已不在名单中，%d 位教职工、%d 个场地已不在学校，%d 个组的活动或时段已取消。"
               "“调出”指学生仍报名、仍在校的活动，在新排片表中换成了别的活动或时间；只换场地或老师不算调出，但照样通知。</p>\n",
            c->pub->left.n, c->pub->staff.n, c->pub->venues.n, c->pub->ngh);
    write_cards(f, c, "学生", "致家长：学生的变化", "每位周安排有变化的学生一张，可剪下发给家长；未列出的学生安排不变。");
    write_cards(f, c, "教职工", "致教职工：课时的增减", "每位有变化的教职工一张：新增、取消或调整的课时，以及值日。");
    write_cards(f, c, "场地", "场地：使用的变化", "每个使用有变化的场地一张。");
    fputs("</body>\n</html>\n", f);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}
