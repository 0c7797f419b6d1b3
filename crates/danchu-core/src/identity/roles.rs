//! Roles and what each may do. A role is held *on a unit* and covers that unit and every
//! unit below it; a system admin covers everything. The web layer asks [`allows`] through
//! one authorisation function, never directly.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SystemAdmin,
    UnitAdmin,
    Editor,
    Reporter,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::SystemAdmin,
        Role::UnitAdmin,
        Role::Editor,
        Role::Reporter,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::UnitAdmin => "unit_admin",
            Role::Editor => "editor",
            Role::Reporter => "reporter",
            Role::Viewer => "viewer",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::SystemAdmin => "Quản trị hệ thống",
            Role::UnitAdmin => "Quản trị đơn vị",
            Role::Editor => "Biên tập viên",
            Role::Reporter => "Cán bộ báo cáo",
            Role::Viewer => "Người xem",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::SystemAdmin => "System administrator",
            Role::UnitAdmin => "Unit administrator",
            Role::Editor => "Editor",
            Role::Reporter => "Reporter",
            Role::Viewer => "Viewer",
        }
    }
}

/// What a handler wants to do. Each capability adds its actions here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See the admin area and read data of a unit.
    ViewAdmin,
    /// Read the audit log of a unit.
    ViewAudit,
    /// Create, rename or merge units under a unit.
    ManageUnits,
    /// Create users and give roles within a unit.
    ManageUsers,
    /// Import administrative-unit lists and change system settings.
    ManageSystem,
    /// Write and publish content of a unit (portal, documents, disclosures).
    EditContent,
    /// Fill and submit reports of a unit.
    SubmitReports,
    /// Define report templates, open rounds, accept or return reports, consolidate, and
    /// give plan tasks (Phòng Nội vụ: a unit admin of the collecting office).
    ManageReports,
    /// Take a disclosure down before its minimum posting period has run (R10).
    TakeDownEarly,
}

/// Whether `role` permits `action` (scope is checked separately by the caller).
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::SystemAdmin => true,
        Role::UnitAdmin => matches!(
            action,
            ViewAdmin
                | ViewAudit
                | ManageUnits
                | ManageUsers
                | EditContent
                | SubmitReports
                | ManageReports
                | TakeDownEarly
        ),
        Role::Editor => matches!(action, ViewAdmin | EditContent),
        Role::Reporter => matches!(action, ViewAdmin | SubmitReports),
        Role::Viewer => matches!(action, ViewAdmin),
    }
}

/// A role held by a user: the role and the unit it covers (`None` = every unit, only
/// meaningful for a system admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub unit_id: Option<i64>,
}

/// The one authorisation rule: some grant permits the action and covers the target unit.
/// `target_chain` is the target unit followed by its ancestors (nearest first); `None`
/// target means a system-wide action, which only an unscoped grant covers.
pub fn permits(grants: &[Grant], action: Action, target_chain: Option<&[i64]>) -> bool {
    grants.iter().any(|g| {
        allows(g.role, action)
            && match (g.unit_id, target_chain) {
                (None, _) => g.role == Role::SystemAdmin,
                (Some(_), None) => false,
                (Some(u), Some(chain)) => chain.contains(&u),
            }
    })
}

/// A role may only be handed out by someone who can manage users on that unit, and a
/// system-admin grant only by a system admin.
pub fn can_grant(grants: &[Grant], role: Role, target_chain: Option<&[i64]>) -> bool {
    if role == Role::SystemAdmin {
        return grants
            .iter()
            .any(|g| g.role == Role::SystemAdmin && g.unit_id.is_none());
    }
    permits(grants, Action::ManageUsers, target_chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISTRICT: i64 = 1;
    const AN_LAP: i64 = 2;
    const DINH_AN: i64 = 3;

    fn chain_an_lap() -> Vec<i64> {
        vec![AN_LAP, DISTRICT]
    }

    #[test]
    fn unit_admin_acts_on_own_unit_only() {
        let g = vec![Grant {
            role: Role::UnitAdmin,
            unit_id: Some(AN_LAP),
        }];
        assert!(permits(&g, Action::ManageUsers, Some(&chain_an_lap())));
        assert!(!permits(
            &g,
            Action::ManageUsers,
            Some(&[DINH_AN, DISTRICT])
        ));
        assert!(!permits(&g, Action::ManageUsers, Some(&[DISTRICT])));
        assert!(!permits(&g, Action::ManageSystem, None));
    }

    #[test]
    fn district_scope_covers_its_communes() {
        let g = vec![Grant {
            role: Role::Editor,
            unit_id: Some(DISTRICT),
        }];
        assert!(permits(&g, Action::EditContent, Some(&chain_an_lap())));
        assert!(!permits(&g, Action::ManageUsers, Some(&chain_an_lap())));
    }

    #[test]
    fn system_admin_covers_everything() {
        let g = vec![Grant {
            role: Role::SystemAdmin,
            unit_id: None,
        }];
        assert!(permits(&g, Action::ManageSystem, None));
        assert!(permits(&g, Action::ManageUnits, Some(&[DINH_AN])));
        assert!(can_grant(&g, Role::SystemAdmin, None));
    }

    #[test]
    fn viewer_and_reporter_cannot_manage() {
        let g = vec![
            Grant {
                role: Role::Viewer,
                unit_id: Some(AN_LAP),
            },
            Grant {
                role: Role::Reporter,
                unit_id: Some(AN_LAP),
            },
        ];
        assert!(permits(&g, Action::ViewAdmin, Some(&chain_an_lap())));
        assert!(permits(&g, Action::SubmitReports, Some(&chain_an_lap())));
        assert!(!permits(&g, Action::EditContent, Some(&chain_an_lap())));
        assert!(!permits(&g, Action::ViewAudit, Some(&chain_an_lap())));
        assert!(!permits(&[], Action::ViewAdmin, Some(&chain_an_lap())));
    }

    #[test]
    fn only_system_admin_grants_system_admin() {
        let g = vec![Grant {
            role: Role::UnitAdmin,
            unit_id: Some(AN_LAP),
        }];
        assert!(!can_grant(&g, Role::SystemAdmin, None));
        assert!(can_grant(&g, Role::Editor, Some(&chain_an_lap())));
        assert!(!can_grant(&g, Role::Editor, Some(&[DINH_AN, DISTRICT])));
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
