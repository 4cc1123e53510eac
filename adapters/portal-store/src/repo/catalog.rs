//! The `HelpDeskCatalog` port: pipelines, stages, inboxes, agents, domains, properties.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use portal_core::PortResult;
use portal_core::model::*;
use portal_core::ports::*;
use portal_core::property::{ObjectKind, PropertyDef};

use crate::Store;
use crate::db::with_conn;
use crate::repo::directory::lower;
use crate::repo::json;
use crate::repo::unjson;
use crate::repo::write;
use crate::schema::*;
use crate::sql::kind_name;

pub(crate) fn object_name(o: ObjectKind) -> &'static str {
    match o {
        ObjectKind::Contact => "contact",
        ObjectKind::Ticket => "ticket",
    }
}

#[async_trait]
impl HelpDeskCatalog for Store {
    async fn pipelines(&self) -> PortResult<Vec<Pipeline>> {
        self.q(|c| {
            let ps: Vec<(i64, String)> = pipelines::table.order(pipelines::id).load(c)?;
            let ss: Vec<(i64, i64, String, bool)> = stages::table
                .select((
                    stages::id,
                    stages::pipeline_id,
                    stages::label,
                    stages::closed,
                ))
                .order((stages::pipeline_id, stages::position))
                .load(c)?;
            Ok(ps
                .into_iter()
                .map(|(id, label)| Pipeline {
                    id: PipelineId(id),
                    label,
                    stages: ss
                        .iter()
                        .filter(|s| s.1 == id)
                        .map(|s| Stage {
                            id: StageId(s.0),
                            label: s.2.clone(),
                            closed: s.3,
                        })
                        .collect(),
                })
                .collect())
        })
        .await
    }

    async fn create_pipeline(
        &self,
        label: &str,
        new_stages: Vec<NewStage>,
    ) -> PortResult<Pipeline> {
        let label = label.to_string();
        self.q(move |c| {
            write(c, |c| {
                let id: i64 = with_conn!(c, c => diesel::insert_into(pipelines::table)
                    .values(pipelines::label.eq(&label))
                    .returning(pipelines::id)
                    .get_result(c))?;
                let mut out = Vec::new();
                for (pos, s) in new_stages.into_iter().enumerate() {
                    let sid: i64 = with_conn!(c, c => diesel::insert_into(stages::table)
                        .values((
                            stages::pipeline_id.eq(id),
                            stages::position.eq(pos as i64),
                            stages::label.eq(&s.label),
                            stages::closed.eq(s.closed),
                        ))
                        .returning(stages::id)
                        .get_result(c))?;
                    out.push(Stage {
                        id: StageId(sid),
                        label: s.label,
                        closed: s.closed,
                    });
                }
                Ok(Pipeline {
                    id: PipelineId(id),
                    label,
                    stages: out,
                })
            })
        })
        .await
    }

    async fn inboxes(&self) -> PortResult<Vec<Inbox>> {
        self.q(|c| {
            let rows: Vec<(i64, String, i64)> = inboxes::table.order(inboxes::id).load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, name, p)| Inbox {
                    id: InboxId(id),
                    name,
                    pipeline: PipelineId(p),
                })
                .collect())
        })
        .await
    }

    async fn create_inbox(&self, name: &str, pipeline: PipelineId) -> PortResult<Inbox> {
        let name = name.to_string();
        self.q(move |c| {
            let exists: i64 = pipelines::table
                .filter(pipelines::id.eq(pipeline.0))
                .count()
                .get_result(c)?;
            if exists == 0 {
                return Err(DieselError::NotFound);
            }
            let id: i64 = with_conn!(c, c => diesel::insert_into(inboxes::table)
                .values((inboxes::name.eq(&name), inboxes::pipeline_id.eq(pipeline.0)))
                .returning(inboxes::id)
                .get_result(c))?;
            Ok(Inbox {
                id: InboxId(id),
                name,
                pipeline,
            })
        })
        .await
    }

    async fn agents(&self) -> PortResult<Vec<Agent>> {
        self.q(|c| {
            let rows: Vec<(i64, String, String, Option<String>, String)> = agents::table
                .select((
                    agents::id,
                    agents::first_name,
                    agents::last_name,
                    agents::alias,
                    agents::email,
                ))
                .order(agents::id)
                .load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, first_name, last_name, alias, email)| Agent {
                    id: AgentId(id),
                    first_name,
                    last_name,
                    alias,
                    email,
                })
                .collect())
        })
        .await
    }

    async fn create_agent(&self, agent: Agent) -> PortResult<Agent> {
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(agents::table)
                .values((
                    agents::first_name.eq(&agent.first_name),
                    agents::last_name.eq(&agent.last_name),
                    agents::alias.eq(&agent.alias),
                    agents::email.eq(&agent.email),
                    agents::email_lower.eq(lower(&agent.email)),
                ))
                .returning(agents::id)
                .get_result(c))?;
            Ok(Agent {
                id: AgentId(id),
                ..agent
            })
        })
        .await
    }

    async fn domains(&self) -> PortResult<Vec<Domain>> {
        self.q(|c| {
            let rows: Vec<(i64, String, String)> = domains::table
                .select((domains::id, domains::host, domains::language))
                .order(domains::id)
                .load(c)?;
            Ok(rows
                .into_iter()
                .map(|(id, host, language)| Domain {
                    id: DomainId(id),
                    host,
                    language,
                })
                .collect())
        })
        .await
    }

    async fn create_domain(&self, host: &str, language: &str) -> PortResult<Domain> {
        let (host, language) = (host.to_string(), language.to_string());
        self.q(move |c| {
            let id: i64 = with_conn!(c, c => diesel::insert_into(domains::table)
                .values((domains::host.eq(&host), domains::host_lower.eq(lower(&host)), domains::language.eq(&language)))
                .returning(domains::id)
                .get_result(c))?;
            Ok(Domain { id: DomainId(id), host, language })
        })
        .await
    }

    async fn update_domain(&self, domain: &Domain) -> PortResult<()> {
        let d = domain.clone();
        self.q(move |c| {
            let n = diesel::update(domains::table.find(d.id.0))
                .set((
                    domains::host.eq(&d.host),
                    domains::host_lower.eq(lower(&d.host)),
                    domains::language.eq(&d.language),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn property_defs(&self, object: ObjectKind) -> PortResult<Vec<PropertyDef>> {
        self.q(move |c| {
            let rows: Vec<String> = property_defs::table
                .filter(property_defs::object.eq(object_name(object)))
                .select(property_defs::definition)
                .order(property_defs::position)
                .load(c)?;
            rows.iter().map(|r| unjson(r)).collect()
        })
        .await
    }

    async fn define_property(&self, object: ObjectKind, def: PropertyDef) -> PortResult<()> {
        self.q(move |c| {
            write(c, |c| {
                let position: i64 = property_defs::table
                    .filter(property_defs::object.eq(object_name(object)))
                    .count()
                    .get_result(c)?;
                diesel::insert_into(property_defs::table)
                    .values((
                        property_defs::object.eq(object_name(object)),
                        property_defs::name.eq(&def.name),
                        property_defs::definition.eq(json(&def)?),
                        property_defs::kind.eq(kind_name(def.kind)),
                        property_defs::position.eq(position),
                    ))
                    .execute(c)
                    .map(|_| ())
            })
        })
        .await
    }

    async fn add_stage(&self, pipeline: PipelineId, stage: NewStage) -> PortResult<Stage> {
        self.q(move |c| {
            write(c, |c| {
                let known: i64 = pipelines::table
                    .filter(pipelines::id.eq(pipeline.0))
                    .count()
                    .get_result(c)?;
                if known == 0 {
                    return Err(DieselError::NotFound);
                }
                let last: Option<i64> = stages::table
                    .filter(stages::pipeline_id.eq(pipeline.0))
                    .select(diesel::dsl::max(stages::position))
                    .first(c)?;
                let sid: i64 = with_conn!(c, c => diesel::insert_into(stages::table)
                    .values((
                        stages::pipeline_id.eq(pipeline.0),
                        stages::position.eq(last.map_or(0, |p| p + 1)),
                        stages::label.eq(&stage.label),
                        stages::closed.eq(stage.closed),
                    ))
                    .returning(stages::id)
                    .get_result(c))?;
                Ok(Stage {
                    id: StageId(sid),
                    label: stage.label,
                    closed: stage.closed,
                })
            })
        })
        .await
    }

    async fn update_agent(&self, agent: &Agent) -> PortResult<()> {
        let a = agent.clone();
        self.q(move |c| {
            let n = diesel::update(agents::table.find(a.id.0))
                .set((
                    agents::first_name.eq(&a.first_name),
                    agents::last_name.eq(&a.last_name),
                    agents::alias.eq(&a.alias),
                    agents::email.eq(&a.email),
                    agents::email_lower.eq(lower(&a.email)),
                ))
                .execute(c)?;
            if n == 0 {
                Err(DieselError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }
}
