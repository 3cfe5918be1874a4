/*
 * A minimal WebKitGTK browser for WebKitWebDriver that keeps its website data (IndexedDB,
 * service worker registrations, caches) in a directory: `--data-dir=DIR`.
 *
 * `--features=+Name,-Name` turns WebKit features on or off as MiniBrowser's option does.
 *
 * Why: MiniBrowser always runs on an ephemeral WebsiteDataManager once `--automation` is given
 * (Tools/MiniBrowser/gtk/main.c: `if (privateMode || automationMode) ... new_ephemeral()`), and
 * WebDriver needs `--automation`. So a browser restart cannot keep storage with MiniBrowser.
 *
 * Built by tests/engines/webkit.ts with `gcc` against the installed runtime libraries
 * (libwebkit2gtk-4.1-0, libgtk-3-0): no -dev package is needed, so the few functions used are
 * declared here by hand (the WebKitGTK 4.1 / GTK 3 C API).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef void *gpointer;
typedef int gboolean;
typedef unsigned long gulong;
typedef unsigned long GType;
typedef unsigned long long guint64;
typedef void (*GCallback)(void);

extern void gtk_init(int *argc, char ***argv);
extern void gtk_main(void);
extern gpointer gtk_window_new(int type);
extern void gtk_window_set_default_size(gpointer window, int width, int height);
extern void gtk_container_add(gpointer container, gpointer widget);
extern void gtk_widget_show_all(gpointer widget);
extern void gtk_widget_destroy(gpointer widget);
extern gulong g_signal_connect_data(gpointer instance, const char *signal, GCallback handler,
                                    gpointer data, gpointer destroy, int flags);
extern gpointer g_object_new(GType type, const char *first_property, ...);

extern gpointer webkit_website_data_manager_new(const char *first_property, ...);
extern gpointer webkit_web_context_new_with_website_data_manager(gpointer manager);
extern void webkit_web_context_set_automation_allowed(gpointer context, gboolean allowed);
extern gpointer webkit_application_info_new(void);
extern void webkit_application_info_set_name(gpointer info, const char *name);
extern void webkit_application_info_set_version(gpointer info, guint64 major, guint64 minor,
                                                guint64 micro);
extern void webkit_application_info_unref(gpointer info);
extern void webkit_automation_session_set_application_info(gpointer session, gpointer info);
extern unsigned webkit_get_major_version(void);
extern unsigned webkit_get_minor_version(void);
extern unsigned webkit_get_micro_version(void);
extern GType webkit_web_view_get_type(void);
extern gpointer webkit_settings_new(void);
extern void webkit_settings_set_media_playback_requires_user_gesture(gpointer settings,
                                                                     gboolean requires);
extern gpointer webkit_website_policies_new_with_policies(const char *first_policy, ...);
extern gpointer webkit_settings_get_all_features(void);
extern size_t webkit_feature_list_get_length(gpointer list);
extern gpointer webkit_feature_list_get(gpointer list, size_t index);
extern const char *webkit_feature_get_identifier(gpointer feature);
extern void webkit_settings_set_feature_enabled(gpointer settings, gpointer feature,
                                                gboolean enabled);

#define GTK_WINDOW_TOPLEVEL 0
#define WEBKIT_AUTOPLAY_ALLOW 0

static gpointer context;
static gpointer settings;
static gpointer policies;

/* `--features=+A,-B,C` as MiniBrowser's: no prefix or '+' enables, '-' or '!' disables. */
static int set_features(const char *list) {
  gpointer all = webkit_settings_get_all_features();
  char buffer[4096];
  snprintf(buffer, sizeof buffer, "%s", list);
  for (char *item = strtok(buffer, ","); item; item = strtok(NULL, ",")) {
    gboolean enabled = !(item[0] == '-' || item[0] == '!');
    if (item[0] == '-' || item[0] == '!' || item[0] == '+') item++;
    size_t i = 0, n = webkit_feature_list_get_length(all);
    for (; i < n; i++) {
      gpointer feature = webkit_feature_list_get(all, i);
      if (strcasecmp(webkit_feature_get_identifier(feature), item) == 0) {
        webkit_settings_set_feature_enabled(settings, feature, enabled);
        break;
      }
    }
    if (i == n) {
      fprintf(stderr, "unknown WebKit feature: %s\n", item);
      return 0;
    }
  }
  return 1;
}

static void close_window(gpointer view, gpointer window) {
  (void)view;
  gtk_widget_destroy(window);
}

/* "create-web-view" of the automation session: a new window with a view driven by WebDriver. */
static gpointer create_web_view(gpointer session, gpointer data) {
  (void)session;
  (void)data;
  gpointer view = g_object_new(webkit_web_view_get_type(), "web-context", context, "settings",
                               settings, "website-policies", policies,
                               "is-controlled-by-automation", 1, NULL);
  gpointer window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size(window, 1280, 800);
  gtk_container_add(window, view);
  g_signal_connect_data(view, "close", (GCallback)close_window, window, NULL, 0);
  gtk_widget_show_all(window);
  return view;
}

static void automation_started(gpointer ctx, gpointer session, gpointer data) {
  (void)ctx;
  (void)data;
  gpointer info = webkit_application_info_new();
  webkit_application_info_set_name(info, "ChunkwiseWebKit");
  webkit_application_info_set_version(info, webkit_get_major_version(), webkit_get_minor_version(),
                                      webkit_get_micro_version());
  webkit_automation_session_set_application_info(session, info);
  webkit_application_info_unref(info);
  g_signal_connect_data(session, "create-web-view", (GCallback)create_web_view, NULL, NULL, 0);
}

int main(int argc, char **argv) {
  const char *data_dir = NULL, *features = NULL;
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], "--data-dir=", 11) == 0) data_dir = argv[i] + 11;
    if (strncmp(argv[i], "--features=", 11) == 0) features = argv[i] + 11;
  }
  if (!data_dir) {
    fprintf(stderr, "usage: %s --data-dir=DIR (run by WebKitWebDriver)\n", argv[0]);
    return 2;
  }
  gtk_init(&argc, &argv);
  char cache_dir[4096];
  snprintf(cache_dir, sizeof cache_dir, "%s/cache", data_dir);
  gpointer manager = webkit_website_data_manager_new("base-data-directory", data_dir,
                                                     "base-cache-directory", cache_dir, NULL);
  context = webkit_web_context_new_with_website_data_manager(manager);
  settings = webkit_settings_new();
  webkit_settings_set_media_playback_requires_user_gesture(settings, 0);
  if (features && !set_features(features)) return 2;
  policies = webkit_website_policies_new_with_policies("autoplay", WEBKIT_AUTOPLAY_ALLOW, NULL);
  webkit_web_context_set_automation_allowed(context, 1);
  g_signal_connect_data(context, "automation-started", (GCallback)automation_started, NULL, NULL,
                        0);
  gtk_main();
  return 0;
}
