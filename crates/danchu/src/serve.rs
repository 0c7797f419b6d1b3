//! Running the HTTP server with graceful shutdown.

use std::sync::Arc;

use danchu_db::Db;

use crate::config::Config;

/// Serves until SIGINT/SIGTERM, then stops accepting, lets running requests finish
/// and closes the database.
pub async fn serve(db: Db, config: &Config, banner: Option<String>) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "DANCHU_DATA_DIR: không tạo được thư mục {}: {e}",
            config.data_dir.display()
        )
    })?;
    let senders = senders(config)?;
    let mut web = config.web();
    web.channels = senders.summary();
    let state = danchu_web::AppState::new(db.clone(), web).await?;
    let app = danchu_web::router(state.clone());
    let flusher = danchu_web::spawn_background(&state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("DANCHU_ADDR: không mở được {}: {e}", config.addr))?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, backend = ?db.backend(), "danchu listening");
    if let Some(b) = banner {
        println!("{b}");
    }
    // Background work: the outbox, scheduled publishing, clean-ups (once per due time
    // across every node sharing the database).
    // Another node's change empties this node's page cache within a second (PostgreSQL).
    let listen_state = state.clone();
    let change_listener = danchu_db::changes::listen(
        &db,
        config.notify.node.clone(),
        Arc::new(move || listen_state.cache.invalidate()),
    );
    let cache_state = state.clone();
    // The audit entries of every node are chained within a second (ADR 0008).
    let sequencer = danchu_db::audit::Sequencer::spawn(db.clone());
    let jobs = crate::jobs::spawn(crate::jobs::Runner {
        db: db.clone(),
        node: config.notify.node.clone(),
        senders,
        max_attempts: config.notify.max_attempts,
        on_content_change: Arc::new(move || {
            cache_state.cache.invalidate();
            cache_state.announcer.announce();
        }),
    });
    danchu_web::server::serve(listener, app, config.conn.clone(), shutdown_signal()).await;
    jobs.stop().await;
    sequencer.stop().await;
    if let Some(l) = change_listener {
        l.abort();
    }
    // Views counted in memory since the last flush are written before the database closes.
    flusher.stop().await;
    tracing::info!("shutting down: requests finished, closing database");
    db.close().await;
    Ok(())
}

/// The adapter of each channel, as configured.
fn senders(config: &Config) -> anyhow::Result<crate::notify::Senders> {
    use crate::config::Adapter;
    use crate::notify::{file::FileSink, smtp::Smtp, Deliver};
    let n = &config.notify;
    let email: Option<Arc<dyn Deliver>> = match &n.smtp_url {
        Some(url) => Some(Arc::new(
            Smtp::new(url, &n.mail_from).map_err(anyhow::Error::msg)?,
        )),
        None => None,
    };
    let sink = |adapter: Adapter, channel: &str| -> Option<Arc<dyn Deliver>> {
        match adapter {
            Adapter::File => Some(Arc::new(FileSink::new(
                config.data_dir.join("outbox"),
                channel,
            ))),
            Adapter::Off => None,
        }
    };
    let senders = crate::notify::Senders {
        email,
        sms: sink(n.sms_adapter, "sms"),
        zalo: sink(n.zalo_adapter, "zalo"),
    };
    tracing::info!(node = %n.node, senders = ?senders, "background jobs");
    Ok(senders)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received");
}
