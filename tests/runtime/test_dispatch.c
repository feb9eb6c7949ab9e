/* Dispatch: the class hierarchy (a handler for a base class gets the
 * subclasses), handlers' phases and the phase given by the sender, one
 * event shared by many observers, classes registered while apps run. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ken/log.h"

KEN_EV_CLASS_DEFINE(animal_class, "EventAnimal", ken_ev_base_class);
KEN_EV_CLASS_DECLARE(dog_class);
KEN_EV_CLASS_DEFINE(puppy_class, "EventPuppy", dog_class);  /* before its parent: still fine */
KEN_EV_CLASS_DEFINE(dog_class, "EventDog", animal_class);
KEN_EV_CLASS_DEFINE(cat_class, "EventCat", animal_class);
KEN_EV_CLASS_DEFINE(fence_class, "EventFence", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(state_class, "EventStateChangeTest", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(features_class, "EventFeaturesTest", ken_ev_base_class);

/* What each app's handlers saw, as letters, in order. */
struct trace {
    char s[256];
    size_t n;
};
static struct trace zoo_trace, vet_trace;
static struct counter fences = COUNTER_INIT;

static void trace_add(struct trace *t, char c)
{
    if (t->n < sizeof t->s - 1)
        t->s[t->n++] = c;
}

static void zoo_animal(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&zoo_trace, 'A'); }
static void zoo_dog(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&zoo_trace, 'D'); }
static void zoo_puppy(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&zoo_trace, 'P'); }
static void zoo_features_config(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&zoo_trace, 'c'); }
static void zoo_features_main(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&zoo_trace, 'f'); }
static void zoo_main(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&zoo_trace, 'm'); }
static void zoo_dead(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&zoo_trace, 'x'); }
static void zoo_ofp(struct ken_app *a, const struct ken_event *ev)
{
    (void)a;
    trace_add(&zoo_trace, ken_event_is_a(ev, KEN_EV_OFP_MSG_BASE) ? 'O' : '?');
}
static void vet_dog(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; trace_add(&vet_trace, 'V'); }
static void on_fence(struct ken_app *a, const struct ken_event *ev) { (void)a; (void)ev; counter_add(&fences, 1); }

static const struct ken_app_desc zoo = {
    .name = "zoo",
    .handlers = (const struct ken_handler[]){
        {"EventAnimal", 0, zoo_animal},
        {"EventDog", KEN_PHASE_MAIN, zoo_dog},
        {"EventPuppy", KEN_PHASE_CONFIG | KEN_PHASE_MAIN, zoo_puppy},
        {"EventFeaturesTest", KEN_PHASE_CONFIG, zoo_features_config},
        {"EventFeaturesTest", KEN_PHASE_MAIN, zoo_features_main},
        {"EventStateChangeTest", KEN_PHASE_MAIN, zoo_main},
        {"EventStateChangeTest", KEN_PHASE_DEAD, zoo_dead},
        {"EventOFPMsgBase", 0, zoo_ofp},
        {"EventFence", 0, on_fence},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(zoo);

static const struct ken_app_desc vet = {
    .name = "vet",
    .handlers = (const struct ken_handler[]){
        {"EventDog", KEN_PHASE_DEAD, vet_dog},
        {"EventFence", 0, on_fence},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(vet);

static struct counter freed = COUNTER_INIT;
static void count_free(struct ken_event *ev)
{
    (void)ev;
    counter_add(&freed, 1);
}

static void send(ken_ev_class_t cls, uint32_t phase)
{
    ken_send_event_to_observers(ken_event_new(cls, sizeof(struct test_ev), count_free), phase);
}

/* Every app has handled everything sent before (queues are FIFO). */
static void settle(void)
{
    long target = counter_get(&fences) + 2;
    ken_send_event_to_observers(ken_event_new(fence_class.id, sizeof(struct ken_event), NULL), KEN_PHASE_ANY);
    assert_true(counter_wait(&fences, target));
}

static void start_zoo_and_vet(void)
{
    memset(&zoo_trace, 0, sizeof zoo_trace);
    memset(&vet_trace, 0, sizeof vet_trace);
    const char *names[] = {"zoo", "vet"};
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load(names, 2, why), 0);
}

static void test_class_table(void **state)
{
    (void)state;
    assert_int_equal(ken_ev_class_lookup("EventBase"), KEN_EV_BASE);
    assert_int_equal(ken_ev_class_lookup("EventOFPMsgBase"), KEN_EV_OFP_MSG_BASE);
    assert_int_equal(ken_ev_class_parent(puppy_class.id), dog_class.id);
    assert_int_equal(ken_ev_class_parent(dog_class.id), animal_class.id);
    assert_true(ken_ev_class_is_a(puppy_class.id, animal_class.id));
    assert_true(ken_ev_class_is_a(puppy_class.id, KEN_EV_BASE));
    assert_false(ken_ev_class_is_a(cat_class.id, dog_class.id));
    assert_string_equal(ken_ev_class_name(puppy_class.id), "EventPuppy");
    assert_string_equal(ken_ev_class_name(0), "?");

    ken_ev_class_t pin = ken_ev_class_register_ofp("OFPPacketIn");
    assert_true(pin > 0);
    assert_string_equal(ken_ev_class_name(pin), "EventOFPPacketIn");
    assert_int_equal(ken_ev_class_parent(pin), KEN_EV_OFP_MSG_BASE);
    assert_int_equal(ken_ev_class_register_ofp("OFPPacketIn"), pin);   /* idempotent */
    assert_int_equal(ken_ev_class_lookup_ofp("OFPPacketIn"), pin);
    assert_int_equal(ken_ev_class_register("EventOFPPacketIn", KEN_EV_BASE), 0);  /* other parent */
    assert_int_equal(ken_ev_class_register("EventOrphan", 999), 0);   /* unknown parent */
    assert_int_equal(ken_ev_class_lookup("EventNobody"), 0);
}

static void test_hierarchy_and_phases(void **state)
{
    (void)state;
    start_zoo_and_vet();
    send(puppy_class.id, KEN_PHASE_MAIN);       /* zoo: A D P (listing order); vet: nothing */
    send(puppy_class.id, KEN_PHASE_DEAD);       /* zoo: A; vet: V */
    send(puppy_class.id, KEN_PHASE_CONFIG);     /* zoo: A P */
    send(cat_class.id, KEN_PHASE_ANY);             /* zoo: A */
    send(dog_class.id, KEN_PHASE_ANY);             /* zoo: A D; vet: V */
    send(animal_class.id, KEN_PHASE_HANDSHAKE); /* zoo: A */
    settle();
    assert_string_equal(zoo_trace.s, "ADP" "A" "AP" "A" "AD" "A");
    assert_string_equal(vet_trace.s, "V" "V");
    assert_int_equal(counter_get(&freed), 6);      /* shared by both apps, freed once */

    /* The vet never saw the events it does not observe in that phase. */
    struct ken_app_stats st;
    ken_app_get_stats(ken_app_lookup("vet"), &st);
    assert_int_equal(st.enqueued, 2 + 1);          /* two dogs and the fence */
}

/* The phase rule, played as the controller plays it: the features reply
 * arrives in CONFIG and moves the switch to MAIN, but is sent with CONFIG
 * (the phase before the change); the state change that follows is sent
 * with the phase entered. */
static void test_phase_rule(void **state)
{
    (void)state;
    start_zoo_and_vet();
    send(features_class.id, KEN_PHASE_CONFIG);
    send(state_class.id, KEN_PHASE_MAIN);
    settle();
    assert_string_equal(zoo_trace.s, "c" "m");   /* not 'f' (MAIN handler), not 'x' */
    send(state_class.id, KEN_PHASE_DEAD);
    send(state_class.id, KEN_PHASE_ANY);          /* no phase: every observer */
    settle();
    assert_string_equal(zoo_trace.s, "cm" "x" "mx");
}

/* The controller registers EventOFP* classes whenever it likes: an app
 * already observing EventOFPMsgBase receives them. */
static void test_class_registered_while_running(void **state)
{
    (void)state;
    start_zoo_and_vet();
    ken_ev_class_t late = ken_ev_class_register_ofp("OFPLateComer");
    assert_true(late > 0);
    send(late, KEN_PHASE_MAIN);
    settle();
    assert_string_equal(zoo_trace.s, "O");
}

/* Batches: each app gets its share in order, in one push per app. */
static void test_batch_to_observers(void **state)
{
    (void)state;
    start_zoo_and_vet();
    struct ken_event *evs[100];
    for (int i = 0; i < 100; i++)
        evs[i] = ken_event_new(i % 2 ? dog_class.id : cat_class.id, sizeof(struct test_ev), NULL);
    ken_send_events_to_observers(evs, 100, KEN_PHASE_DEAD);
    settle();
    char expect[101] = "";
    for (int i = 0; i < 100; i++)
        expect[i] = 'A';
    assert_string_equal(zoo_trace.s, expect);     /* zoo_dog is MAIN only */
    assert_int_equal(vet_trace.n, 50);
}

/* Runs of one class in a batch (looked up once per run) and a chunk whose
 * events all go to the same apps (delivered as one array): the same
 * handlers, in the same order, as one event at a time. */
static void test_batch_runs(void **state)
{
    (void)state;
    start_zoo_and_vet();
    struct ken_event *evs[104];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        evs[n++] = ken_event_new(dog_class.id, sizeof(struct test_ev), NULL);
    for (int i = 0; i < 20; i++)
        evs[n++] = ken_event_new(cat_class.id, sizeof(struct test_ev), NULL);
    for (int i = 0; i < 4; i++)
        evs[n++] = ken_event_new(puppy_class.id, sizeof(struct test_ev), NULL);
    for (int i = 0; i < 40; i++) /* a second chunk (64 a chunk): dogs only */
        evs[n++] = ken_event_new(dog_class.id, sizeof(struct test_ev), NULL);
    ken_send_events_to_observers(evs, n, KEN_PHASE_MAIN);
    settle();
    char expect[256] = "";
    for (int i = 0; i < 40; i++)
        strcat(expect, "AD");
    for (int i = 0; i < 20; i++)
        strcat(expect, "A");
    for (int i = 0; i < 4; i++)
        strcat(expect, "ADP");
    for (int i = 0; i < 40; i++)
        strcat(expect, "AD");
    assert_string_equal(zoo_trace.s, expect);
    assert_int_equal(vet_trace.n, 0); /* vet_dog is DEAD only */
}

/* Direct sends: to a named app, whatever it observes; ESRCH when the app
 * does not run (and the event is released). */
static void test_send_to_app(void **state)
{
    (void)state;
    start_zoo_and_vet();
    long before = counter_get(&freed);
    assert_int_equal(ken_send_event("vet", ken_event_new(dog_class.id, sizeof(struct test_ev), count_free)), 0);
    assert_int_equal(ken_send_event("nobody", ken_event_new(dog_class.id, sizeof(struct test_ev), count_free)),
                     ESRCH);
    settle();
    assert_string_equal(vet_trace.s, "V");
    assert_int_equal(counter_get(&freed), before + 2);
}

static const struct ken_app_desc bad_class_app = {
    .name = "bad_class_app",
    .handlers = (const struct ken_handler[]){{"EventNoSuchThing", 0, on_fence}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(bad_class_app);

static void test_unknown_class_in_handler(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("bad_class_app", why), EINVAL);
    assert_non_null(strstr(why, "EventNoSuchThing"));
    assert_null(ken_app_lookup("bad_class_app"));
}

/* An app that passes each puppy on to vet as a dog: an app-to-app send. */
static void relay_puppy(struct ken_app *a, const struct ken_event *ev)
{
    (void)a;
    (void)ev;
    ken_send_event("vet", ken_event_new(dog_class.id, sizeof(struct test_ev), NULL));
}
static const struct ken_app_desc relay = {
    .name = "relay",
    .handlers = (const struct ken_handler[]){{"EventPuppy", 0, relay_puppy}, {"EventFence", 0, on_fence}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(relay);

/* settle() for three apps with a fence handler. */
static void settle3(void)
{
    long target = counter_get(&fences) + 3;
    ken_send_event_to_observers(ken_event_new(fence_class.id, sizeof(struct ken_event), NULL), KEN_PHASE_ANY);
    assert_true(counter_wait(&fences, target));
}

static const char *read_log(const char *path)
{
    static char text[16384];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The event trace: Ryu's "EVENT src->dst class", one line per event and
 * receiver, only when turned on. */
static void test_event_trace(void **state)
{
    (void)state;
    char path[] = "/tmp/ken-trace-XXXXXX";
    close(mkstemp(path));
    assert_int_equal(ken_log_open_file(path), 0);
    ken_log_set_level(KEN_LOG_DEBUG);
    memset(&zoo_trace, 0, sizeof zoo_trace);
    memset(&vet_trace, 0, sizeof vet_trace);
    const char *names[] = {"zoo", "vet", "relay"};
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load(names, 3, why), 0);

    send(cat_class.id, KEN_PHASE_MAIN);              /* trace off: not logged */
    settle3();
    ken_runtime_set_event_trace(true);
    ken_ev_class_t ofp = ken_ev_class_register_ofp("OFPTraceTest");
    send(ofp, KEN_PHASE_MAIN);
    send(puppy_class.id, KEN_PHASE_DEAD);
    settle3();                                       /* the relay has sent its dog */
    settle3();                                       /* and the vet has handled it */
    ken_runtime_set_event_trace(false);
    send(dog_class.id, KEN_PHASE_DEAD);
    settle3();
    ken_log_close();
    ken_log_set_level(KEN_LOG_INFO);
    const char *text = read_log(path);
    unlink(path);

    assert_null(strstr(text, "EventCat"));
    assert_non_null(strstr(text, " DEBUG events: EVENT ofp_event->zoo EventOFPTraceTest\n"));
    assert_non_null(strstr(text, "EVENT -->relay EventPuppy\n"));
    assert_non_null(strstr(text, "EVENT relay->vet EventDog\n"));
    assert_non_null(strstr(text, "EVENT -->vet EventFence\n"));
    /* the relay's one dog, and none after the trace went off */
    const char *dog = strstr(text, "EventDog");
    assert_null(strstr(dog + 1, "EventDog"));
    assert_string_equal(vet_trace.s, "VVV");       /* the puppy, the relay's dog, the last dog */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_table),
        cmocka_unit_test_teardown(test_hierarchy_and_phases, runtime_teardown),
        cmocka_unit_test_teardown(test_phase_rule, runtime_teardown),
        cmocka_unit_test_teardown(test_class_registered_while_running, runtime_teardown),
        cmocka_unit_test_teardown(test_batch_to_observers, runtime_teardown),
        cmocka_unit_test_teardown(test_batch_runs, runtime_teardown),
        cmocka_unit_test_teardown(test_send_to_app, runtime_teardown),
        cmocka_unit_test_teardown(test_unknown_class_in_handler, runtime_teardown),
        /* last: its sends count in freed, which test_hierarchy_and_phases counts from 0 */
        cmocka_unit_test_teardown(test_event_trace, runtime_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
