//! Roles are scoped to units: a unit admin cannot act on another commune or grant roles
//! outside its scope; a viewer cannot change anything.

use crate::both;
use crate::harness::{Fixture, TestApp};

/// An Lập's unit admin acting, another An Lập account, and the district's unit admin.
const AN_LAP_AND_DISTRICT: Fixture =
    Fixture::units().with_users(&["quantri.huyen", "quantri.anlap", "baocao.anlap"]);

both!(
    unit_admin_cannot_act_on_another_commune,
    AN_LAP_AND_DISTRICT,
    |app: TestApp| async move {
        let c = app.sign_in("quantri.anlap").await;
        let an_lap = app.unit_id("25789").await;
        let dinh_an = app.unit_id("25777").await;

        // Adding a hamlet under another commune: 403, and nothing is created.
        let r = app
            .add_unit(&c, Some(dinh_an), "25777-A1", "Ấp 1", "village")
            .await;
        assert_eq!(r.status(), 403);
        assert!(danchu_db::units::by_code(&mut app.db.clone(), "25777-A1")
            .await
            .unwrap()
            .is_none());
        // Renaming another commune: 403.
        let r = app
            .rename_unit(&c, "/quan-tri/don-vi", dinh_an, "Xã Giả")
            .await;
        assert_eq!(r.status(), 403);
        // Giving someone a role in another commune: 403.
        let ke_gian = ["ke.gian", "Kẻ Gian", "mat-khau-dai-du"];
        let r = app.add_user(&c, ke_gian, "editor", "25777").await;
        assert_eq!(r.status(), 403);
        // Nor can a unit admin make a system admin.
        let r = app.add_user(&c, ke_gian, "system_admin", "").await;
        assert_eq!(r.status(), 403);
        // The audit log is for system admins.
        assert_eq!(app.get(&c, "/quan-tri/nhat-ky").await.status(), 403);

        // In their own commune it works.
        let r = app
            .add_unit(&c, Some(an_lap), "25789-A1", "Ấp Lò Gạch", "village")
            .await;
        assert_eq!(r.status(), 303);
        let editor = ["bientap.anlap", "Trần Thị Bích", "mat-khau-dai-du"];
        let r = app.add_user(&c, editor, "editor", "25789").await;
        assert_eq!(r.status(), 303);
        // The new editor can sign in with that password.
        let e = app.client();
        let r = app
            .submit_sign_in(&e, "bientap.anlap", "mat-khau-dai-du", &[])
            .await;
        assert_eq!(r.status(), 303);
        // The unit admin's user list shows only people of An Lập.
        let list = app.page(&c, "/quan-tri/nguoi-dung").await;
        assert!(list.contains("bientap.anlap") && list.contains("baocao.anlap"));
        assert!(!list.contains("quantri.huyen"));
    }
);

both!(
    viewer_cannot_change_anything,
    Fixture::units().with_users(&["xem"]),
    |app: TestApp| async move {
        let c = app.sign_in("xem").await;
        let district = app.unit_id("721").await;
        let r = app
            .rename_unit(&c, "/quan-tri", district, "Huyện Khác")
            .await;
        assert_eq!(r.status(), 403);
        assert_eq!(app.get(&c, "/quan-tri/nguoi-dung").await.status(), 403);
        // But can read the units.
        assert_eq!(app.get(&c, "/quan-tri/don-vi").await.status(), 200);
    }
);

both!(
    unit_admin_cannot_grant_roles_to_people_outside_scope,
    AN_LAP_AND_DISTRICT,
    |app: TestApp| async move {
        let c = app.sign_in("quantri.anlap").await;
        let uid: i64 = app.user_id("quantri.huyen").await;
        // Grants `user` the viewer role of An Lập; the status.
        let grant_viewer = |user: i64| {
            let (app, c) = (&app, &c);
            async move {
                app.post(
                    c,
                    "/quan-tri/nguoi-dung",
                    &format!("/quan-tri/nguoi-dung/{user}/vai-tro"),
                    &[("role", "viewer"), ("unit_code", "25789")],
                )
                .await
                .status()
            }
        };
        assert_eq!(grant_viewer(uid).await, 403);
        // Someone of An Lập can be given another An Lập role.
        let own: i64 = app.user_id("baocao.anlap").await;
        assert_eq!(grant_viewer(own).await, 303);
        // Twice is a no-op, not a duplicate.
        assert_eq!(grant_viewer(own).await, 303);
        let n: i64 = app
            .int(
                danchu_db::q("SELECT COUNT(*) AS n FROM user_roles WHERE user_id = $1").bind(own),
                "n",
            )
            .await;
        assert_eq!(n, 2);
    }
);
